#pragma once

#include "edge/crypto/signing_key.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leasehold::crypto {

/// The public keys that tokens may be signed with, by key id. Filled before it is shared;
/// after that every member is safe to call from several threads at once.
class key_ring {
public:
  key_ring() = default;

  explicit key_ring(std::vector<verifying_key> keys);

  key_ring(const key_ring&) = delete;
  key_ring& operator=(const key_ring&) = delete;

  /// Adds `key` unless a key with its kid is present. Not thread-safe: call before sharing.
  void add(verifying_key key);

  /// The key with id `kid`, or null.
  const verifying_key* find(std::string_view kid) const;

  /// True iff the key `kid` is known and `signature` is its signature over `message`.
  /// Every call that reaches Ed25519 counts in `signature_checks`.
  bool verify(std::string_view kid, std::string_view message, std::string_view signature) const;

  /// How many Ed25519 verifications `verify` has run so far.
  uint64_t signature_checks() const { return signature_checks_.load(std::memory_order_relaxed); }

  /// The keys as a JWK Set (RFC 7517/8037):
  /// `{"keys":[{"kty":"OKP","crv":"Ed25519","x":..,"kid":..,"alg":"EdDSA","use":"sig"}]}`.
  std::string jwks_json() const;

  size_t size() const { return keys_.size(); }

private:
  std::vector<verifying_key> keys_; // a handful at most: a linear search beats hashing
  mutable std::atomic<uint64_t> signature_checks_{0};
};

} // namespace leasehold::crypto
