#include "persistence/accounts.hpp"

#include "actors/errc.hpp"
#include "persistence/account_queries.hpp"
#include "persistence/pg.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_pool.hpp>
#include <caf/result.hpp>
#include <caf/spawn_options.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <optional>
#include <utility>

namespace leasehold::persistence {

namespace {

struct worker_state {
  std::string dsn;
  std::optional<pg_connection> db; // connected lazily, dropped when the server goes away
  static inline const char* name = "accounts_worker";
};

using worker_ptr = accounts_actor::stateful_pointer<worker_state>;

// Runs `fn` on a live connection. A lost server drops the connection, so that the next call
// reconnects instead of failing forever.
template <class T, class F> caf::result<T> with_db(worker_ptr self, F fn) {
  auto& st = self->state;
  if (!st.db || !st.db->is_ok()) {
    st.db.reset();
    auto conn = pg_connection::connect(st.dsn);
    if (!conn) {
      return std::move(conn.error());
    }
    st.db = std::move(*conn);
  }
  caf::expected<T> res = fn(*st.db);
  if (!res) {
    if (is_errc(res.error(), errc::unavailable) || !st.db->is_ok()) {
      st.db.reset();
    }
    return std::move(res.error());
  }
  return std::move(*res);
}

caf::expected<caf::ok_atom> as_ok(caf::error err) {
  if (err) {
    return err;
  }
  return caf::ok_atom::value;
}

accounts_actor::behavior_type accounts_worker(worker_ptr self, std::string dsn) {
  self->state.dsn = std::move(dsn);
  return {
    [=](register_atom, const registration& reg) {
      return with_db<account>(self, [&](pg_connection& db) { return register_account(db, reg); });
    },
    [=](find_login_atom, const std::string& email) {
      return with_db<login_record>(self, [&](pg_connection& db) { return find_login(db, email); });
    },
    [=](find_account_atom, const std::string& tenant_id, const std::string& user_id) {
      return with_db<account>(
        self, [&](pg_connection& db) { return find_account(db, tenant_id, user_id); });
    },
    [=](find_tenant_atom, const std::string& tenant_id) {
      return with_db<tenant_info>(self,
                                  [&](pg_connection& db) { return find_tenant(db, tenant_id); });
    },
    [=](list_users_atom, const std::string& tenant_id) {
      return with_db<std::vector<user_info>>(
        self, [&](pg_connection& db) { return list_users(db, tenant_id); });
    },
    [=](add_user_atom, const new_user& x) {
      return with_db<user_info>(self, [&](pg_connection& db) { return add_user(db, x); });
    },
    [=](add_tenant_atom, const tenant_info& x) {
      return with_db<tenant_info>(self, [&](pg_connection& db) { return add_tenant(db, x); });
    },
    [=](license_owner_atom, const std::string& license_id) {
      return with_db<std::string>(self,
                                  [&](pg_connection& db) { return license_owner(db, license_id); });
    },
    [=](revoke_token_atom, const revoked_token& x) {
      return with_db<caf::ok_atom>(self,
                                   [&](pg_connection& db) { return as_ok(revoke_token(db, x)); });
    },
    [=](revoked_tokens_atom) {
      return with_db<std::vector<revoked_token>>(
        self, [&](pg_connection& db) { return live_revoked_tokens(db); });
    },
  };
}

} // namespace

accounts_actor spawn_accounts(caf::actor_system& sys, std::string dsn, size_t connections) {
  auto factory = [&sys, dsn] {
    return caf::actor_cast<caf::actor>(sys.spawn<caf::detached>(accounts_worker, dsn));
  };
  auto pool = caf::actor_pool::make(sys.dummy_execution_unit(), std::max<size_t>(connections, 1),
                                    factory, caf::actor_pool::round_robin());
  return caf::actor_cast<accounts_actor>(pool);
}

} // namespace leasehold::persistence
