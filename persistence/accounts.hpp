#pragma once

#include "persistence/account_types.hpp"

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace leasehold::persistence {

using register_atom = caf::atom_constant<caf::atom("register")>;
using find_login_atom = caf::atom_constant<caf::atom("findlogin")>;
using find_account_atom = caf::atom_constant<caf::atom("findacct")>;
using find_tenant_atom = caf::atom_constant<caf::atom("findtenant")>;
using list_users_atom = caf::atom_constant<caf::atom("listusers")>;
using add_user_atom = caf::atom_constant<caf::atom("adduser")>;
using add_tenant_atom = caf::atom_constant<caf::atom("addtenant")>;
using license_owner_atom = caf::atom_constant<caf::atom("licowner")>;
using revoke_token_atom = caf::atom_constant<caf::atom("revoketok")>;
using revoked_tokens_atom = caf::atom_constant<caf::atom("revokedtok")>;

constexpr auto register_atom_v = register_atom::value;
constexpr auto find_login_atom_v = find_login_atom::value;
constexpr auto find_account_atom_v = find_account_atom::value;
constexpr auto find_tenant_atom_v = find_tenant_atom::value;
constexpr auto list_users_atom_v = list_users_atom::value;
constexpr auto add_user_atom_v = add_user_atom::value;
constexpr auto add_tenant_atom_v = add_tenant_atom::value;
constexpr auto license_owner_atom_v = license_owner_atom::value;
constexpr auto revoke_token_atom_v = revoke_token_atom::value;
constexpr auto revoked_tokens_atom_v = revoked_tokens_atom::value;

/// Users, tenants, license owners and revoked tokens in PostgreSQL. Every operation may fail
/// with `errc::unavailable` when the database cannot be reached.
///
/// - `register`: tenant (unique slug from `slug_base`), owner, and a free one-seat license for
///   product `default`, in one transaction; `errc::conflict` if the email exists.
/// - `find_login` (email, lower case): the user and password hash; `errc::not_found` if none.
/// - `find_account` (tenant id, user id): the user and their tenant; `errc::not_found`.
/// - `find_tenant` (tenant id): the tenant; `errc::not_found` (also for a malformed id).
/// - `list_users` (tenant id): the tenant's users ordered by creation.
/// - `add_user`: the stored user; `errc::conflict` if the email exists.
/// - `add_tenant`: the stored tenant; `errc::conflict` if the slug exists.
/// - `license_owner` (license id): the id of the license's tenant; `errc::not_found`.
/// - `revoke_token`: stores the revocation (idempotent).
/// - `revoked_tokens`: revocations that have not expired yet (to seed the token service).
using accounts_actor =
  caf::typed_actor<caf::replies_to<register_atom, registration>::with<account>,
                   caf::replies_to<find_login_atom, std::string>::with<login_record>,
                   caf::replies_to<find_account_atom, std::string, std::string>::with<account>,
                   caf::replies_to<find_tenant_atom, std::string>::with<tenant_info>,
                   caf::replies_to<list_users_atom, std::string>::with<std::vector<user_info>>,
                   caf::replies_to<add_user_atom, new_user>::with<user_info>,
                   caf::replies_to<add_tenant_atom, tenant_info>::with<tenant_info>,
                   caf::replies_to<license_owner_atom, std::string>::with<std::string>,
                   caf::replies_to<revoke_token_atom, revoked_token>::with<caf::ok_atom>,
                   caf::replies_to<revoked_tokens_atom>::with<std::vector<revoked_token>>>;

/// Default number of database connections behind the accounts store.
constexpr size_t default_account_connections = 2;

/// Starts `connections` detached libpq workers behind one round-robin front. Workers connect
/// lazily and reconnect after a lost connection. Stop it with an exit message
/// (`anon_send_exit(hdl, caf::exit_reason::user_shutdown)`).
accounts_actor spawn_accounts(caf::actor_system& sys, std::string dsn,
                              size_t connections = default_account_connections);

} // namespace leasehold::persistence
