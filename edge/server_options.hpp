#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace leasehold::edge {

/// How the server runs.
enum class run_mode : uint8_t { development, production };

/// The parsed server flags (cluster/server_options.hpp parses them from argv and the
/// environment). Plain data: handlers read what they need, nobody writes after start-up.
struct server_options {
  std::string listen = "127.0.0.1:8080"; // HOST:PORT; port 0 picks a free port
  std::string database;                  // libpq URL; empty: embedded PostgreSQL
  std::string data_dir = "./var";        // embedded PostgreSQL lives here
  std::string operator_key;              // X-Operator-Key
  std::string stripe_webhook_secret;     // Stripe-Signature HMAC key
  std::string signing_key_file;          // PEM of the Ed25519 signing key; optional
  std::chrono::seconds access_token_ttl{86400};
  uint32_t rate_limit_user_per_min = 600;
  uint32_t rate_limit_register_per_ip_per_min = 60;
  uint32_t rate_limit_failed_logins = 10; // per email per 15 minutes
  run_mode mode = run_mode::development;
  std::string log_level = "info";                // error, warning, info, debug
  bool demo = false;                             // seed the demo tenant and print how to use it
  uint32_t io_threads = 0;                       // 0: one per usable CPU
  bool pin_io_threads = false;                   // each to the CPUs whose connections it serves
  std::chrono::seconds tenant_idle_timeout{600}; // passivation of idle tenants; 0: never
};

} // namespace leasehold::edge
