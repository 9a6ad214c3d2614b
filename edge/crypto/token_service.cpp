#include "edge/crypto/token_service.hpp"

#include "actors/errc.hpp"
#include "edge/crypto/jwt.hpp"
#include "edge/crypto/random.hpp"
#include "edge/json_text.hpp"

#include <google/protobuf/struct.pb.h>

#include <cstdio>
#include <cstdlib>

namespace leasehold::crypto {

namespace {

constexpr const char* access_type = "access";
constexpr const char* lease_type = "lease";

int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

int64_t to_unix_seconds(caf::timestamp ts) {
  return std::chrono::duration_cast<std::chrono::seconds>(ts.time_since_epoch()).count();
}

caf::error invalid(std::string message) {
  return make_error(errc::unauthorized, std::move(message));
}

// Claims are JSON numbers; ours are unix seconds, far below 2^53.
void set_number(google::protobuf::Struct& claims, const char* name, int64_t value) {
  (*claims.mutable_fields())[name].set_number_value(static_cast<double>(value));
}

void set_string(google::protobuf::Struct& claims, const char* name, const std::string& value) {
  (*claims.mutable_fields())[name].set_string_value(value);
}

// A string claim that must be present and non-empty.
const std::string* required(const google::protobuf::Struct& claims, const std::string& name) {
  auto x = string_claim(claims, name);
  return x != nullptr && !x->empty() ? x : nullptr;
}

} // namespace

token_service::token_service(std::vector<signing_key> keys, std::string issuer,
                             std::chrono::seconds access_ttl, token_service_options opts)
    : keys_(std::move(keys)), issuer_(std::move(issuer)), access_ttl_(access_ttl),
      clock_(std::move(opts.clock)), cache_(opts.cache_capacity) {
  if (keys_.empty()) {
    // Start-up loads or generates a key before building the service: a bug, not bad input.
    std::fputs("leasehold: token_service needs at least one signing key\n", stderr);
    std::abort();
  }
  header_segment_ = jwt_header_segment(keys_.front());
  for (auto& key : keys_) {
    ring_.add(key.public_key());
  }
  if (!clock_) {
    clock_ = system_now;
  }
}

int64_t token_service::now() const { return clock_(); }

issued_token token_service::issue_access_token(const caller& who) {
  issued_token result;
  result.jti = new_uuid();
  auto iat = now();
  result.expires_at = iat + access_ttl_.count();
  google::protobuf::Struct claims;
  set_string(claims, "iss", issuer_);
  set_string(claims, "sub", who.user_id);
  set_string(claims, "tid", who.tenant_id);
  set_string(claims, "role", to_string(who.user_role));
  set_string(claims, "email", who.user_email);
  set_string(claims, "jti", result.jti);
  set_string(claims, "typ", access_type);
  set_number(claims, "iat", iat);
  set_number(claims, "exp", result.expires_at);
  result.token = sign_jwt(claims, keys_.front(), header_segment_);
  return result;
}

caf::expected<edge::bearer_ptr> token_service::verify_access_token(std::string_view token) {
  auto t = now();
  if (auto hit = cache_.find(token, t)) {
    cache_hits_.fetch_add(1, std::memory_order_relaxed);
    // Checked on every use, so that a logout takes effect for cached tokens at once.
    if (revoked_.is_revoked(hit->jti)) {
      return invalid("token revoked");
    }
    return hit;
  }
  cache_misses_.fetch_add(1, std::memory_order_relaxed);
  auto claims = verify_jwt(token, ring_, t);
  if (!claims) {
    return std::move(claims.error());
  }
  auto typ = string_claim(*claims, "typ");
  if (typ == nullptr || *typ != access_type) {
    return invalid("not an access token");
  }
  auto iss = string_claim(*claims, "iss");
  if (iss == nullptr || *iss != issuer_) {
    return invalid("token of another issuer");
  }
  auto sub = required(*claims, "sub");
  auto tid = required(*claims, "tid");
  auto jti = required(*claims, "jti");
  auto role_name = string_claim(*claims, "role");
  auto email = string_claim(*claims, "email");
  edge::bearer result;
  if (sub == nullptr || tid == nullptr || jti == nullptr || email == nullptr ||
      role_name == nullptr || !from_string(*role_name, result.who.user_role)) {
    return invalid("token lacks required claims");
  }
  result.who.tenant_id = *tid;
  result.who.user_id = *sub;
  result.who.user_email = *email;
  result.jti = *jti;
  result.expires_at = *integer_claim(*claims, "exp"); // verify_jwt checked it
  if (revoked_.is_revoked(result.jti)) {
    return invalid("token revoked");
  }
  auto shared = std::make_shared<const edge::bearer>(std::move(result));
  cache_.insert(token, shared);
  return shared;
}

void token_service::revoke(const std::string& jti, int64_t expires_at) {
  revoked_.revoke(jti, expires_at, now());
}

std::string token_service::issue_lease_token(const lease& l) {
  auto iat = to_unix_seconds(l.issued_at);
  // Written straight to JSON: lease claims are signed on every acquire, and filling a Struct
  // cost more than the rest of the token but the signature.
  std::string payload;
  edge::json_object_writer claims{payload};
  auto text = [&claims](const char* name, std::string_view value) {
    edge::append_json_string(value, claims.member(name));
  };
  text("iss", issuer_);
  text("sub", l.user_id);
  text("tid", l.tenant_id);
  text("lid", l.license_id);
  text("sid", l.session_id);
  text("hwid", l.hardware_id);
  text("tier", to_string(l.tier));
  edge::append_json_flags(l.features, claims.member("features"));
  claims.member("iat") += std::to_string(iat);
  claims.member("exp") += std::to_string(iat + int64_t{l.offline_grace});
  text("typ", lease_type);
  claims.close();
  return sign_jwt_payload(payload, keys_.front(), header_segment_);
}

caf::expected<lease_claims> token_service::verify_lease_token(std::string_view token) const {
  auto claims = verify_jwt(token, ring_, now());
  if (!claims) {
    return std::move(claims.error());
  }
  auto typ = string_claim(*claims, "typ");
  auto iss = string_claim(*claims, "iss");
  if (typ == nullptr || *typ != lease_type || iss == nullptr || *iss != issuer_) {
    return invalid("not a lease token");
  }
  lease_claims result;
  result.iss = *iss;
  std::pair<const char*, std::string*> strings[] = {
    {"sub", &result.sub}, {"tid", &result.tid},   {"lid", &result.lid},
    {"sid", &result.sid}, {"hwid", &result.hwid}, {"tier", &result.tier},
  };
  for (auto& [name, out] : strings) {
    auto x = string_claim(*claims, name);
    if (x == nullptr) {
      return invalid("lease token lacks required claims");
    }
    *out = *x;
  }
  auto features = claims->fields().find("features");
  if (features == claims->fields().end() || !features->second.has_struct_value()) {
    return invalid("lease token lacks features");
  }
  for (auto& [name, value] : features->second.struct_value().fields()) {
    if (!value.has_bool_value()) {
      return invalid("lease token features must be booleans");
    }
    result.features.emplace(name, value.bool_value());
  }
  result.iat = *integer_claim(*claims, "iat");
  result.exp = *integer_claim(*claims, "exp");
  return result;
}

std::string token_service::jwks_json() const { return ring_.jwks_json(); }

token_service_stats token_service::stats() const {
  token_service_stats result;
  result.signature_checks = ring_.signature_checks();
  result.cache_hits = cache_hits_.load(std::memory_order_relaxed);
  result.cache_misses = cache_misses_.load(std::memory_order_relaxed);
  result.cached_tokens = cache_.size();
  result.revoked_tokens = revoked_.size();
  return result;
}

} // namespace leasehold::crypto
