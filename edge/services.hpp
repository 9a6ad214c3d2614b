#pragma once

#include "actors/tenant_api.hpp"
#include "edge/actor_bridge.hpp"
#include "edge/server_options.hpp"
#include "persistence/accounts.hpp"
#include "persistence/audit_reader.hpp"

#include <caf/actor_system.hpp>

namespace leasehold::crypto {
class token_service;
} // namespace leasehold::crypto

namespace leasehold::edge {

class blocking_pool;
class rate_limiter;

/// Everything a handler may use; one per node, built by cluster/node.cpp, outlives the
/// HTTP server. Handlers keep references to it (the `services&` of `add_*_routes`).
struct services {
  caf::actor_system& sys;
  actor_bridge& bridge;                  // ask actors without blocking (edge/actor_bridge.hpp)
  tenant_api tenants;                    // the tenant directory (local now, remote later)
  persistence::accounts_actor accounts;  // users, tenants, licenses' owners, revocations, keys
  persistence::audit_reader_actor audit; // audit pages and the /ready ping
  crypto::token_service& tokens;         // issue and verify access and lease tokens
  blocking_pool& blocking;               // CPU-heavy work (scrypt) off the I/O threads:
                                         // blocking.run(ctx, work, then_on_session)
  rate_limiter& limits;                  // allow_register(address), failed_login_blocked(email),
                                         // record_failed_login(email), ...
  const server_options& options;         // parsed flags (access_token_ttl, operator_key, ...)
};

} // namespace leasehold::edge
