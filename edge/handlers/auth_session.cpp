#include "edge/crypto/token_service.hpp"
#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/account_json.hpp"
#include "edge/response.hpp"
#include "persistence/accounts.hpp"

#include "leasehold/api/v1/accounts.pb.h"

namespace leasehold::edge::accounts {

namespace {

// The token is valid but its user is gone: the token no longer speaks for anyone.
auto unauthorized_if_gone(const context_ptr& ctx) {
  return [ctx](caf::error& err) {
    if (is_errc(err, errc::not_found)) {
      reply_error(ctx, errc::unauthorized, "the token's user no longer exists");
    } else {
      reply_error(ctx, err);
    }
  };
}

} // namespace

caller caller_of(const persistence::user_info& user) {
  return caller{user.tenant_id, user.id, user.email, user.user_role};
}

bool require_manager(const context_ptr& ctx, const char* what) {
  if (!ctx->auth || !is_manager(ctx->auth->who.user_role)) {
    reply_error(ctx, errc::forbidden, std::string{"only owners and admins may "} + what);
    return false;
  }
  return true;
}

void handle_refresh(services& svc, const context_ptr& ctx) {
  const auto& who = ctx->auth->who;
  // The new token carries the user's current role, not the one of the old token.
  svc.bridge.ask<persistence::account>(
    ctx, svc.accounts,
    [&svc, ctx](persistence::account& acct) {
      auto token = svc.tokens.issue_access_token(caller_of(acct.user));
      api::v1::RefreshResponse out;
      out.set_access_token(token.token);
      out.mutable_expires_at()->set_seconds(token.expires_at);
      reply_json(ctx, http::status::ok, out);
    },
    unauthorized_if_gone(ctx), persistence::find_account_atom_v, who.tenant_id, who.user_id);
}

void handle_logout(services& svc, const context_ptr& ctx) {
  const auto& auth = *ctx->auth;
  // Refused by this process at once; the stored revocation covers restarts and other nodes.
  svc.tokens.revoke(auth.jti, auth.expires_at);
  svc.bridge.ask<caf::ok_atom>(
    ctx, svc.accounts, [ctx](caf::ok_atom) { reply_no_content(ctx); }, reply_error_to(ctx),
    persistence::revoke_token_atom_v,
    persistence::revoked_token{auth.who.tenant_id, auth.jti, auth.expires_at});
}

void handle_me(services& svc, const context_ptr& ctx) {
  const auto& who = ctx->auth->who;
  svc.bridge.ask<persistence::account>(
    ctx, svc.accounts,
    [ctx](persistence::account& acct) {
      api::v1::MeResponse out;
      to_proto(acct.user, *out.mutable_user());
      to_proto(acct.tenant, *out.mutable_tenant());
      reply_json(ctx, http::status::ok, out);
    },
    unauthorized_if_gone(ctx), persistence::find_account_atom_v, who.tenant_id, who.user_id);
}

void handle_jwks(services& svc, const context_ptr& ctx) {
  reply_json_text(ctx, http::status::ok, svc.tokens.jwks_json());
}

} // namespace leasehold::edge::accounts
