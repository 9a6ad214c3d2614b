#pragma once

#include "persistence/account_types.hpp"
#include "persistence/pg.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace leasehold::persistence {

// The SQL behind `accounts_actor`, as blocking calls on one connection (the actor runs them on
// detached workers; start-up code and tests may call them directly). Errors follow
// `accounts_actor`: `errc::conflict`, `errc::not_found`, `errc::unavailable`.

/// Seats, timing and product of the free license that every registration creates.
constexpr uint32_t registration_seats = 1;

/// Tenant, owner and free license in one transaction (see `accounts_actor`).
caf::expected<account> register_account(pg_connection& db, const registration& reg);

caf::expected<login_record> find_login(pg_connection& db, const std::string& email);

caf::expected<account> find_account(pg_connection& db, const std::string& tenant_id,
                                    const std::string& user_id);

caf::expected<tenant_info> find_tenant(pg_connection& db, const std::string& tenant_id);

caf::expected<std::vector<user_info>> list_users(pg_connection& db, const std::string& tenant_id);

caf::expected<user_info> add_user(pg_connection& db, const new_user& x);

caf::expected<tenant_info> add_tenant(pg_connection& db, const tenant_info& x);

caf::expected<std::string> license_owner(pg_connection& db, const std::string& license_id);

caf::error revoke_token(pg_connection& db, const revoked_token& x);

/// Revocations that have not expired yet; drops the expired ones on the way.
caf::expected<std::vector<revoked_token>> live_revoked_tokens(pg_connection& db);

/// Runs `fn` inside BEGIN ... COMMIT; rolls back if `fn` or the commit fails.
caf::error in_transaction(pg_connection& db, const std::function<caf::error()>& fn);

} // namespace leasehold::persistence
