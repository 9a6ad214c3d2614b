#pragma once

#include <string>
#include <string_view>

namespace leasehold::crypto {

/// Hashes `password` with scrypt (N = 2^14, r = 8, p = 1, 16-byte random salt, 32-byte key)
/// into a self-describing text: `scrypt$<log2 N>$<r>$<p>$<base64url salt>$<base64url key>`.
/// Costs about 16 MiB and tens of milliseconds: call it off the I/O threads.
std::string hash_password(std::string_view password);

/// True iff `encoded` (from `hash_password`, possibly with other cost parameters) is the hash
/// of `password`. Compares in constant time; a malformed or unsupported encoding is false.
bool verify_password(std::string_view password, std::string_view encoded);

} // namespace leasehold::crypto
