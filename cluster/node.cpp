#include "cluster/node.hpp"

#include "actors/tenant_directory.hpp"
#include "actors/type_ids.hpp"
#include "edge/actor_bridge.hpp"
#include "edge/blocking_pool.hpp"
#include "edge/crypto/base64url.hpp"
#include "edge/crypto/license_key.hpp"
#include "edge/crypto/password_hash.hpp"
#include "edge/crypto/random.hpp"
#include "edge/crypto/signing_key.hpp"
#include "edge/crypto/token_service.hpp"
#include "edge/http_server.hpp"
#include "edge/rate_limiter.hpp"
#include "edge/router.hpp"
#include "edge/routes.hpp"
#include "edge/services.hpp"
#include "persistence/account_types.hpp"
#include "persistence/accounts.hpp"
#include "persistence/audit_reader.hpp"
#include "persistence/demo_seed.hpp"
#include "persistence/embedded_postgres.hpp"
#include "persistence/migrations.hpp"
#include "persistence/persistence_types.hpp"
#include "persistence/pg.hpp"
#include "persistence/record_store.hpp"
#include "persistence/signing_keys.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

namespace leasehold::cluster {

namespace {

using edge::run_mode;
using edge::server_options;

// Issuer of every token this server signs.
constexpr const char* token_issuer = "leasehold";

// How long the edge waits for an actor's answer. Longer than the longest acquire wait
// (60 s) so that a waiting acquire ends with the tenant's own 429, not a timeout.
constexpr auto actor_request_timeout = std::chrono::seconds{75};

// Start-up calls into actors (loading revocations) give up after this.
constexpr auto startup_timeout = std::chrono::seconds{30};

struct node_config : caf::actor_system_config {
  explicit node_config(size_t workers) {
    add_domain_types(*this);
    persistence::add_account_types(*this);
    persistence::add_persistence_types(*this);
    set("scheduler.max-threads", workers);
    // An idle worker spins briefly, then sleeps until work arrives. CAF's default polls in
    // between, waking every 50 us for 25 ms: on two cores those wake-ups preempted the I/O
    // threads thousands of times a second once these ran the heartbeats (io_execution_unit).
    set("work-stealing.moderate-poll-attempts", size_t{0});
  }
};

// Start-up and shutdown lines are info; --log-level warning/error keeps stdout quiet.
bool quiet = false;

void say(const std::string& text) {
  if (!quiet) {
    std::cout << text << std::endl;
  }
}

void warn(const std::string& text) { std::cerr << "leasehold: " << text << std::endl; }

caf::expected<std::string> read_file(const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    return make_error(errc::bad_request, "cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The keys that sign and verify tokens: --signing-key first (it signs) when given, then the
// keys kept in the database. Development mode generates and stores one on first start.
caf::expected<std::vector<crypto::signing_key>> load_keys(const server_options& opts,
                                                          persistence::pg_connection& db) {
  std::vector<crypto::signing_key> keys;
  if (!opts.signing_key_file.empty()) {
    auto pem = read_file(opts.signing_key_file);
    if (!pem) {
      return pem.error();
    }
    auto key = crypto::signing_key::from_pem(*pem);
    if (!key) {
      return make_error(errc::bad_request,
                        opts.signing_key_file + " holds no Ed25519 private key in PEM");
    }
    keys.push_back(std::move(*key));
  }
  auto stored = persistence::load_signing_keys(db);
  if (!stored) {
    return stored.error();
  }
  for (const auto& s : *stored) {
    if (!keys.empty() && s.kid == keys.front().kid()) {
      continue;
    }
    auto key = crypto::signing_key::from_pem(s.private_pem);
    if (!key) {
      warn("ignoring stored signing key " + s.kid + ": not a valid Ed25519 PEM");
      continue;
    }
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) {
    // Development only: production refuses to start without --signing-key.
    auto key = crypto::signing_key::generate();
    if (auto err = persistence::store_signing_key(db, {key.kid(), key.private_pem()})) {
      return err;
    }
    say("generated a signing key (kid " + key.kid() + "), stored in the database");
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string curl_host(const std::string& bound) {
  // A wildcard listener is reachable on loopback; print something that works as typed.
  if (bound.rfind("0.0.0.0:", 0) == 0) {
    return "127.0.0.1" + bound.substr(7);
  }
  if (bound.rfind("[::]:", 0) == 0) {
    return "[::1]" + bound.substr(4);
  }
  return bound;
}

void print_demo(const persistence::demo_account& demo, const std::string& operator_key,
                const std::string& bound) {
  auto base = "http://" + curl_host(bound);
  // Asked for explicitly: printed whatever the log level.
  auto line = [](const std::string& text) { std::cout << text << "\n"; };
  line("");
  line("Demo tenant ready.");
  line("  login:        " + demo.email + " / " + demo.password);
  line("  license:      " + demo.license_id + " (key " + demo.license_key + ")");
  line("  operator key: " + operator_key);
  line("Try:");
  line("  TOKEN=$(curl -s -X POST " + base +
       "/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"email\":\"" + demo.email +
       "\",\"password\":\"" + demo.password +
       "\"}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
  line("  curl -s " + base + "/api/v1/licenses -H \"Authorization: Bearer $TOKEN\"");
  line("  curl -s -X POST " + base +
       "/api/v1/licenses/acquire -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: "
       "application/json' -d '{\"license_id\":\"" +
       demo.license_id + "\",\"hardware_id\":\"demo-machine-1\"}'");
  std::cout << std::endl;
}

// Revocations stored by earlier runs: revoked tokens stay dead across restarts.
caf::error load_revocations(caf::actor_system& sys, const persistence::accounts_actor& accounts,
                            crypto::token_service& tokens) {
  caf::scoped_actor self{sys};
  caf::error result;
  self->request(accounts, startup_timeout, persistence::revoked_tokens_atom_v)
    .receive(
      [&](std::vector<persistence::revoked_token>& revoked) {
        for (const auto& r : revoked) {
          tokens.revoke(r.jti, r.expires_at);
        }
      },
      [&](caf::error& err) { result = std::move(err); });
  return result;
}

int wait_for_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

} // namespace

int run_node(const server_options& given, const sigset_t& signals, node_hooks hooks) {
  auto opts = given;
  quiet = opts.log_level == "warning" || opts.log_level == "error";
  // 1. The system of record.
  std::unique_ptr<persistence::embedded_postgres> embedded;
  auto dsn = opts.database;
  if (dsn.empty()) {
    say("starting embedded PostgreSQL in " + opts.data_dir);
    auto pg = persistence::embedded_postgres::start(opts.data_dir);
    if (!pg) {
      warn("cannot start the embedded PostgreSQL: " + to_string(pg.error()));
      return 1;
    }
    embedded = std::move(*pg);
    dsn = embedded->dsn();
  }
  auto db = persistence::pg_connection::connect(dsn);
  if (!db) {
    warn("cannot connect to the database: " + to_string(db.error()));
    return 1;
  }
  if (auto err = persistence::apply_migrations(*db)) {
    warn("migrations failed: " + to_string(err));
    return 1;
  }
  auto keys = load_keys(opts, *db);
  if (!keys) {
    warn("signing keys: " + to_string(keys.error()));
    return 1;
  }
  caf::optional<persistence::demo_account> demo;
  if (opts.demo) {
    auto seeded = persistence::seed_demo(*db, crypto::hash_password(persistence::demo_password),
                                         crypto::new_license_key());
    if (!seeded) {
      warn("demo seed failed: " + to_string(seeded.error()));
      return 1;
    }
    demo = std::move(*seeded);
  }
  if (opts.operator_key.empty()) {
    // Development only (production refuses to start without one): 32 random characters.
    opts.operator_key = crypto::base64url_encode(crypto::random_bytes(24));
    std::cout << "generated operator key (development mode): " << opts.operator_key << std::endl;
  }
  // 2. HTTP objects, made before the actor system and ended before it: answers queued in the
  // server's io_contexts and the routes' handlers hold actor handles, and ~actor_system waits
  // until every detached actor (the record store's writer) has lost its last one.
  auto routes = std::make_unique<edge::router>();
  auto server = std::make_unique<edge::http_server>(*routes);
  auto cores = std::max(2u, std::thread::hardware_concurrency());
  {
    node_config cfg{cores};
    caf::actor_system sys{cfg};
    auto store = persistence::spawn_record_store(sys, dsn);
    tenant_options tenant_opts;
    tenant_opts.idle_timeout = opts.tenant_idle_timeout;
    auto directory = spawn_tenant_directory(sys, store, tenant_opts);
    auto accounts = persistence::spawn_accounts(sys, dsn);
    auto audit = persistence::spawn_audit_reader(sys, dsn);
    auto stop_actors = [&] {
      caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(accounts, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(audit, caf::exit_reason::user_shutdown);
    };
    crypto::token_service tokens{std::move(*keys), token_issuer, opts.access_token_ttl};
    if (auto err = load_revocations(sys, accounts, tokens)) {
      warn("cannot load revoked tokens: " + to_string(err));
      stop_actors();
      return 1;
    }
    int exit_code = 0;
    {
      edge::actor_bridge bridge{sys, actor_request_timeout};
      edge::blocking_pool blocking;
      edge::rate_limiter limits{{opts.rate_limit_user_per_min,
                                 opts.rate_limit_register_per_ip_per_min,
                                 opts.rate_limit_failed_logins}};
      edge::services svc{sys,      bridge, caf::actor_cast<tenant_api>(directory),
                         accounts, audit,  tokens,
                         blocking, limits, opts};
      routes->configure(
        {[&tokens](std::string_view token) { return tokens.verify_access_token(token); },
         opts.operator_key, &limits});
      edge::add_routes(
        *routes, svc,
        {directory, &server->metrics(), caf::actor_cast<persistence::record_store_actor>(store)});
      auto bound = server->start(opts.listen, opts.io_threads, opts.pin_io_threads);
      if (!bound) {
        warn(to_string(bound.error()));
        exit_code = 1;
      } else {
        std::ostringstream addr;
        addr << *bound;
        say("leasehold listening on http://" + addr.str() + " (mode " +
            (opts.mode == run_mode::production ? "production" : "development") + ")");
        if (demo) {
          print_demo(*demo, opts.operator_key, addr.str());
        }
        if (hooks.on_listening) {
          hooks.on_listening(addr.str());
        }
        auto sig = wait_for_signal(signals);
        say("signal " + std::to_string(sig) + ": shutting down");
      }
      // 3. Shutdown: no new requests, then the blocking work, then the actors.
      server->stop();
      blocking.stop();
      stop_actors();
    } // the bridge's companions end here: callbacks still waiting answer their requests (500)
    server.reset();
    routes.reset();
    return exit_code;
  } // ~actor_system waits for every actor
}

} // namespace leasehold::cluster
