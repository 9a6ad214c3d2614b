#include "edge/blocking_pool.hpp"
#include "edge/crypto/license_key.hpp"
#include "edge/crypto/password_hash.hpp"
#include "edge/crypto/random.hpp"
#include "edge/crypto/token_service.hpp"
#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/account_json.hpp"
#include "edge/rate_limiter.hpp"
#include "edge/response.hpp"
#include "edge/validation.hpp"
#include "persistence/accounts.hpp"

#include "leasehold/api/v1/accounts.pb.h"

#include <memory>

namespace leasehold::edge::accounts {

namespace {

// Answers 400 unless the body names a usable email, password, name and organization; fills
// `reg` with the normalized values.
bool validate(const context_ptr& ctx, const api::v1::RegisterRequest& req,
              persistence::registration& reg) {
  auto email = validate_new_account(ctx, req.email(), req.password(), req.name());
  if (!email) {
    return false;
  }
  if (!is_valid_name(req.organization())) {
    reply_error(ctx, errc::bad_request, "organization is required (at most 200 bytes)");
    return false;
  }
  reg.email = std::move(*email);
  reg.name = req.name();
  reg.organization = req.organization();
  reg.slug_base = slug_from_name(req.organization());
  return true;
}

void reply_registered(services& svc, const context_ptr& ctx, const persistence::account& acct) {
  auto token = svc.tokens.issue_access_token(caller_of(acct.user));
  api::v1::RegisterResponse out;
  to_proto(acct.user, *out.mutable_user());
  to_proto(acct.tenant, *out.mutable_tenant());
  out.set_access_token(token.token);
  out.mutable_expires_at()->set_seconds(token.expires_at);
  reply_json(ctx, http::status::created, out);
}

} // namespace

void handle_register(services& svc, const context_ptr& ctx) {
  // Every attempt counts, so that the limit also slows down probing for taken emails.
  auto allowed = svc.limits.check_register(ctx->client_address);
  if (!allowed.allowed) {
    reply_error(ctx, errc::rate_limited, "too many registrations from this address",
                allowed.retry_after);
    return;
  }
  api::v1::RegisterRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  auto reg = std::make_shared<persistence::registration>();
  if (!validate(ctx, req, *reg)) {
    return;
  }
  reg->tenant_id = crypto::new_uuid();
  reg->user_id = crypto::new_uuid();
  reg->license_id = crypto::new_uuid();
  reg->license_key = crypto::new_license_key();
  // scrypt costs tens of milliseconds: never on an I/O thread.
  svc.blocking.run(
    ctx, [reg, password = req.password()] { reg->password_hash = crypto::hash_password(password); },
    [&svc, ctx, reg] {
      svc.bridge.ask<persistence::account>(
        ctx, svc.accounts,
        [&svc, ctx](persistence::account& acct) { reply_registered(svc, ctx, acct); },
        reply_error_to(ctx), persistence::register_atom_v, *reg);
    });
}

} // namespace leasehold::edge::accounts
