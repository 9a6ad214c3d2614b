#pragma once

#include <string>
#include <string_view>

namespace leasehold::crypto {

/// The raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);

/// HMAC-SHA256 of `message` under `key` as 64 lower-case hex digits (Stripe's `v1`).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// True iff `x` and `y` are equal; the time taken depends only on their lengths, not on
/// where they differ.
bool constant_time_equal(std::string_view x, std::string_view y);

} // namespace leasehold::crypto
