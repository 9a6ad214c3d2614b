#include "edge/blocking_pool.hpp"
#include "edge/crypto/password_hash.hpp"
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

// A hash to verify against when the email is unknown, so that unknown emails cost as much
// time as wrong passwords (no account enumeration by timing). Made on first use, off I/O.
const std::string& decoy_hash() {
  static const std::string hash = crypto::hash_password("decoy password, never matches");
  return hash;
}

void refuse(services& svc, const context_ptr& ctx, const std::string& email) {
  svc.limits.record_failed_login(email);
  reply_bad_credentials(ctx);
}

// The email is unknown (or not an address at all): spend a hash's time, then refuse.
void refuse_after_decoy(services& svc, const context_ptr& ctx, std::string email,
                        std::string password) {
  svc.blocking.run(
    ctx, [password = std::move(password)] { crypto::verify_password(password, decoy_hash()); },
    [&svc, ctx, email = std::move(email)] { refuse(svc, ctx, email); });
}

void check_password(services& svc, const context_ptr& ctx, persistence::login_record& found,
                    std::string password) {
  auto matches = std::make_shared<bool>(false);
  auto record = std::make_shared<persistence::login_record>(std::move(found));
  svc.blocking.run(
    ctx,
    [matches, record, password = std::move(password)] {
      *matches = crypto::verify_password(password, record->password_hash);
    },
    [&svc, ctx, matches, record] {
      if (!*matches) {
        refuse(svc, ctx, record->user.email);
        return;
      }
      svc.limits.clear_failed_logins(record->user.email);
      auto token = svc.tokens.issue_access_token(caller_of(record->user));
      api::v1::LoginResponse out;
      out.set_access_token(token.token);
      out.mutable_expires_at()->set_seconds(token.expires_at);
      to_proto(record->user, *out.mutable_user());
      reply_json(ctx, http::status::ok, out);
    });
}

} // namespace

void reply_bad_credentials(const context_ptr& ctx) {
  reply_error(ctx, errc::unauthorized, "invalid email or password");
}

void handle_login(services& svc, const context_ptr& ctx) {
  api::v1::LoginRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  if (req.email().empty() || req.password().empty()) {
    reply_error(ctx, errc::bad_request, "email and password are required");
    return;
  }
  auto email = normalize_email(req.email());
  // Failures are counted per email as given (lower case) when it is not even an address.
  auto key = email ? *email : req.email();
  if (svc.limits.failed_login_blocked(key)) {
    reply_error(ctx, errc::rate_limited, "too many failed logins for this email; try again later",
                svc.limits.failed_login_retry_after(key));
    return;
  }
  if (!email) {
    refuse_after_decoy(svc, ctx, key, req.password());
    return;
  }
  svc.bridge.ask<persistence::login_record>(
    ctx, svc.accounts,
    [&svc, ctx, password = req.password()](persistence::login_record& found) {
      check_password(svc, ctx, found, password);
    },
    [&svc, ctx, key, password = req.password()](caf::error& err) {
      if (is_errc(err, errc::not_found)) {
        refuse_after_decoy(svc, ctx, key, password);
      } else {
        reply_error(ctx, err);
      }
    },
    persistence::find_login_atom_v, *email);
}

} // namespace leasehold::edge::accounts
