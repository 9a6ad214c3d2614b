#include "edge/crypto/jwt.hpp"

#include "actors/errc.hpp"
#include "edge/crypto/base64url.hpp"
#include "edge/json_to_proto.hpp"
#include "edge/proto_to_json.hpp"

#include <google/protobuf/struct.pb.h>

#include <cmath>

namespace leasehold::crypto {

namespace {

// Integers above this lose precision as JSON doubles.
constexpr double max_exact_integer = 9007199254740992.0; // 2^53

caf::error invalid(std::string message) {
  return make_error(errc::unauthorized, std::move(message));
}

std::string to_json(const google::protobuf::Struct& x) {
  std::string out;
  out.reserve(256);
  // A Struct always has a JSON form (NaN and infinities print as strings).
  static_cast<void>(edge::append_json(x, out));
  return out;
}

bool parse_object(std::string_view segment, google::protobuf::Struct& out) {
  auto json = base64url_decode(segment);
  if (!json) {
    return false;
  }
  return !edge::json_to_proto(*json, out);
}

} // namespace

std::string jwt_header_segment(const signing_key& key) {
  google::protobuf::Struct header;
  auto& fields = *header.mutable_fields();
  fields["alg"].set_string_value("EdDSA");
  fields["typ"].set_string_value("JWT");
  fields["kid"].set_string_value(key.kid());
  return base64url_encode(to_json(header));
}

std::string sign_jwt(const google::protobuf::Struct& claims, const signing_key& key,
                     std::string_view header_segment) {
  return sign_jwt_payload(to_json(claims), key, header_segment);
}

std::string sign_jwt_payload(std::string_view payload_json, const signing_key& key,
                             std::string_view header_segment) {
  std::string token{header_segment};
  token += '.';
  token += base64url_encode(payload_json);
  auto signature = key.sign(token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

std::string sign_jwt(const google::protobuf::Struct& claims, const signing_key& key) {
  return sign_jwt(claims, key, jwt_header_segment(key));
}

caf::expected<google::protobuf::Struct> verify_jwt(std::string_view token, const key_ring& keys,
                                                   int64_t now) {
  if (token.empty() || token.size() > max_token_bytes) {
    return invalid("malformed token");
  }
  auto first_dot = token.find('.');
  auto second_dot =
    first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    return invalid("malformed token");
  }
  auto header_segment = token.substr(0, first_dot);
  auto payload_segment = token.substr(first_dot + 1, second_dot - first_dot - 1);
  auto signature_segment = token.substr(second_dot + 1);
  google::protobuf::Struct header;
  if (!parse_object(header_segment, header)) {
    return invalid("malformed token header");
  }
  // The algorithm is fixed by us, not chosen by the token: anything but EdDSA (including
  // "none" and the HMAC family, which would use a public key as a secret) is refused.
  auto alg = string_claim(header, "alg");
  if (alg == nullptr || *alg != "EdDSA") {
    return invalid("unsupported token algorithm");
  }
  // RFC 7515 4.1.11: extensions we do not understand must be rejected.
  if (header.fields().count("crit") != 0) {
    return invalid("unsupported token header");
  }
  auto kid = string_claim(header, "kid");
  if (kid == nullptr || keys.find(*kid) == nullptr) {
    return invalid("unknown token key");
  }
  auto signature = base64url_decode(signature_segment);
  if (!signature || !keys.verify(*kid, token.substr(0, second_dot), *signature)) {
    return invalid("bad token signature");
  }
  google::protobuf::Struct claims;
  if (!parse_object(payload_segment, claims)) {
    return invalid("malformed token claims");
  }
  auto exp = integer_claim(claims, "exp");
  if (!exp || !integer_claim(claims, "iat")) {
    return invalid("token lacks iat or exp");
  }
  if (*exp <= now) {
    return invalid("token expired");
  }
  return claims;
}

const std::string* string_claim(const google::protobuf::Struct& claims, const std::string& name) {
  auto i = claims.fields().find(name);
  if (i == claims.fields().end() || !i->second.has_string_value()) {
    return nullptr;
  }
  return &i->second.string_value();
}

caf::optional<int64_t> integer_claim(const google::protobuf::Struct& claims,
                                     const std::string& name) {
  auto i = claims.fields().find(name);
  if (i == claims.fields().end() || !i->second.has_number_value()) {
    return caf::none;
  }
  auto x = i->second.number_value();
  if (!std::isfinite(x) || std::trunc(x) != x || std::fabs(x) > max_exact_integer) {
    return caf::none;
  }
  return static_cast<int64_t>(x);
}

} // namespace leasehold::crypto
