#include "edge/blocking_pool.hpp"
#include "edge/crypto/password_hash.hpp"
#include "edge/crypto/random.hpp"
#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/account_json.hpp"
#include "edge/response.hpp"
#include "edge/validation.hpp"
#include "persistence/accounts.hpp"

#include "leasehold/api/v1/accounts.pb.h"

#include <memory>
#include <vector>

namespace leasehold::edge::accounts {

namespace {

// Answers 400/403 unless the body describes a user the caller may add; fills `user`.
bool validate(const context_ptr& ctx, const api::v1::CreateUserRequest& req,
              persistence::user_info& user) {
  auto email = validate_new_account(ctx, req.email(), req.password(), req.name());
  if (!email) {
    return false;
  }
  if (req.role().empty()) {
    reply_error(ctx, errc::bad_request, "role is required (owner, admin, member or guest)");
    return false;
  }
  role wanted = role::member;
  if (!from_string(req.role(), wanted)) {
    reply_error(ctx, errc::bad_request, "role must be owner, admin, member or guest");
    return false;
  }
  if (wanted > ctx->auth->who.user_role) {
    reply_error(ctx, errc::forbidden, "a user cannot be given a role above the caller's own");
    return false;
  }
  user.tenant_id = ctx->auth->who.tenant_id;
  user.email = std::move(*email);
  user.name = req.name();
  user.user_role = wanted;
  return true;
}

} // namespace

void handle_tenant_me(services& svc, const context_ptr& ctx) {
  // Every member may see their own tenant (GET /auth/me shows it to them anyway).
  svc.bridge.ask<persistence::tenant_info>(
    ctx, svc.accounts,
    [ctx](persistence::tenant_info& tenant) {
      api::v1::Tenant out;
      to_proto(tenant, out);
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), persistence::find_tenant_atom_v, ctx->auth->who.tenant_id);
}

void handle_list_users(services& svc, const context_ptr& ctx) {
  if (!require_manager(ctx, "list users")) {
    return;
  }
  svc.bridge.ask<std::vector<persistence::user_info>>(
    ctx, svc.accounts,
    [ctx](std::vector<persistence::user_info>& users) {
      api::v1::UserList out;
      for (const auto& user : users) {
        to_proto(user, *out.add_users());
      }
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), persistence::list_users_atom_v, ctx->auth->who.tenant_id);
}

void handle_create_user(services& svc, const context_ptr& ctx) {
  if (!require_manager(ctx, "add users")) {
    return;
  }
  api::v1::CreateUserRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  auto user = std::make_shared<persistence::new_user>();
  if (!validate(ctx, req, user->user)) {
    return;
  }
  user->user.id = crypto::new_uuid();
  svc.blocking.run(
    ctx,
    [user, password = req.password()] { user->password_hash = crypto::hash_password(password); },
    [&svc, ctx, user] {
      svc.bridge.ask<persistence::user_info>(
        ctx, svc.accounts,
        [ctx](persistence::user_info& stored) {
          api::v1::User out;
          to_proto(stored, out);
          reply_json(ctx, http::status::created, out);
        },
        reply_error_to(ctx), persistence::add_user_atom_v, *user);
    });
}

} // namespace leasehold::edge::accounts
