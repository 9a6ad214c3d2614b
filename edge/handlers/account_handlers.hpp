#pragma once

// Internals of the account routes: one handler per endpoint and the helpers they share.

#include "actors/caller.hpp"
#include "edge/services.hpp"
#include "persistence/account_types.hpp"

#include <caf/optional.hpp>

#include <string>
#include <string_view>

namespace leasehold::edge::accounts {

// Auth (auth_*.cpp).
void handle_register(services& svc, const context_ptr& ctx);
void handle_login(services& svc, const context_ptr& ctx);
void handle_refresh(services& svc, const context_ptr& ctx);
void handle_logout(services& svc, const context_ptr& ctx);
void handle_me(services& svc, const context_ptr& ctx);
void handle_jwks(services& svc, const context_ptr& ctx);

// Team (team_*.cpp): the tenant for everyone, its users for owners and admins only.
void handle_tenant_me(services& svc, const context_ptr& ctx);
void handle_list_users(services& svc, const context_ptr& ctx);
void handle_create_user(services& svc, const context_ptr& ctx);

// Operators (admin_*.cpp).
void handle_admin_create_tenant(services& svc, const context_ptr& ctx);
void handle_admin_create_license(services& svc, const context_ptr& ctx);
void handle_admin_patch_license(services& svc, const context_ptr& ctx);

// Licenses (license_*.cpp).
void handle_list_licenses(services& svc, const context_ptr& ctx);
void handle_get_license(services& svc, const context_ptr& ctx);

/// The caller a user's access token speaks for.
caller caller_of(const persistence::user_info& user);

/// The normalized email if `email`, `password` and `name` are acceptable for a new user (checked
/// in that order); else answers 400 naming the first problem and returns none.
caf::optional<std::string> validate_new_account(const context_ptr& ctx, std::string_view email,
                                                std::string_view password, std::string_view name);

/// True if the caller is an owner or admin; else answers 403 and returns false.
bool require_manager(const context_ptr& ctx, const char* what);

/// The same 401 for an unknown email and a wrong password (no account enumeration).
void reply_bad_credentials(const context_ptr& ctx);

} // namespace leasehold::edge::accounts
