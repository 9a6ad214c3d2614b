#pragma once

#include "edge/crypto/key_ring.hpp"
#include "edge/crypto/signing_key.hpp"

#include <caf/expected.hpp>
#include <caf/optional.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace google::protobuf {
class Struct;
} // namespace google::protobuf

namespace leasehold::crypto {

/// Tokens longer than this are refused before any parsing (ours are well under 1 KiB).
constexpr size_t max_token_bytes = 8 * 1024;

/// The header segment of tokens signed by `key`: base64url of
/// `{"alg":"EdDSA","typ":"JWT","kid":<kid>}`. The same for every token of a key, so callers
/// that sign often compute it once.
std::string jwt_header_segment(const signing_key& key);

/// Signs `claims` as a compact JWS (RFC 7515) with EdDSA: `header.payload.signature`.
/// `header_segment` must be `jwt_header_segment(key)`.
std::string sign_jwt(const google::protobuf::Struct& claims, const signing_key& key,
                     std::string_view header_segment);

/// Signs a payload that is already JSON text (a claims object written without a Struct, for
/// tokens issued on every request). `header_segment` must be `jwt_header_segment(key)`.
std::string sign_jwt_payload(std::string_view payload_json, const signing_key& key,
                             std::string_view header_segment);

/// Signs `claims` with `key` (computes the header segment on the way).
std::string sign_jwt(const google::protobuf::Struct& claims, const signing_key& key);

/// Verifies a compact JWS and returns its claims. Refused (`errc::unauthorized`): anything but
/// exactly three base64url parts, a header whose `alg` is not "EdDSA" (so "none" and "HS256"
/// too) or that has `crit`, a `kid` not in `keys`, a wrong signature, claims that are not a
/// JSON object, a missing or non-integral `iat` or `exp`, and `exp <= now` (unix seconds).
caf::expected<google::protobuf::Struct> verify_jwt(std::string_view token, const key_ring& keys,
                                                   int64_t now);

/// The string claim `name`, or null if it is absent or not a string.
const std::string* string_claim(const google::protobuf::Struct& claims, const std::string& name);

/// The integral numeric claim `name`, or none if it is absent, not a number, not integral
/// or beyond 2^53.
caf::optional<int64_t> integer_claim(const google::protobuf::Struct& claims,
                                     const std::string& name);

} // namespace leasehold::crypto
