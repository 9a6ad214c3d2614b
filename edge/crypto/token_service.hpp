#pragma once

#include "actors/caller.hpp"
#include "actors/seat_messages.hpp"
#include "edge/bearer.hpp"
#include "edge/crypto/key_ring.hpp"
#include "edge/crypto/revocation_list.hpp"
#include "edge/crypto/signing_key.hpp"
#include "edge/crypto/token_cache.hpp"

#include <caf/expected.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace leasehold::crypto {

/// A freshly signed access token.
struct issued_token {
  std::string token;
  std::string jti;
  int64_t expires_at = 0; // unix seconds
};

/// The claims of a verified lease token (API.md, "Acquire rules").
struct lease_claims {
  std::string iss;
  std::string sub; // user id
  std::string tid; // tenant id
  std::string lid; // license id
  std::string sid; // session id
  std::string hwid;
  std::string tier;
  std::map<std::string, bool> features;
  int64_t iat = 0;
  int64_t exp = 0;
};

/// Tuning and test hooks of a `token_service`.
struct token_service_options {
  /// The most verified access tokens kept to skip their signature check.
  size_t cache_capacity = 100'000;
  /// Unix seconds now; the system clock when empty. Tests set a fixed clock.
  std::function<int64_t()> clock;
};

/// Counters of a `token_service`, for tests and metrics.
struct token_service_stats {
  uint64_t signature_checks = 0; // Ed25519 verifications run
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  size_t cached_tokens = 0;
  size_t revoked_tokens = 0;
};

/// Issues and verifies the server's EdDSA JWTs: access tokens (bearers of the API) and lease
/// tokens (offline proof of a seat). One per process; every member is thread-safe, and
/// `verify_access_token` of a token seen before costs a hash lookup, not a signature check.
class token_service {
public:
  /// `keys` must not be empty: the first one signs, all of them verify and appear in the
  /// JWKS (older keys stay while tokens they signed may be alive).
  token_service(std::vector<signing_key> keys, std::string issuer, std::chrono::seconds access_ttl,
                token_service_options opts = {});

  token_service(const token_service&) = delete;
  token_service& operator=(const token_service&) = delete;

  /// Signs an access token for `who`: claims `iss`, `sub` (user id), `tid`, `role`, `email`,
  /// `jti` (a new UUID), `iat`, `exp` = `iat` + access ttl, and `typ` = "access".
  issued_token issue_access_token(const caller& who);

  /// The caller behind `token`, or `errc::unauthorized` for anything wrong: malformed, another
  /// algorithm than EdDSA (incl. "none"), unknown key, bad signature, expired, another issuer,
  /// not an access token (a lease token), or revoked.
  caf::expected<edge::bearer_ptr> verify_access_token(std::string_view token);

  /// Makes every token with id `jti` fail from now on, until `expires_at` (unix seconds) when
  /// it would fail anyway. Also used at start-up to load the revocations stored in the DB.
  void revoke(const std::string& jti, int64_t expires_at);

  /// Signs the lease token for `l`: claims `iss`, `sub` (user), `tid`, `lid`, `sid`, `hwid`,
  /// `tier`, `features` (object of booleans), `iat` = issued_at, `exp` = `iat` +
  /// offline_grace, and `typ` = "lease".
  std::string issue_lease_token(const lease& l);

  /// The claims of a lease token, or `errc::unauthorized` if it is not a valid, unexpired
  /// lease token of this service's keys and issuer.
  caf::expected<lease_claims> verify_lease_token(std::string_view token) const;

  /// The JWK Set of all verification keys (GET /.well-known/jwks.json).
  std::string jwks_json() const;

  /// A snapshot of the counters.
  token_service_stats stats() const;

  const std::string& issuer() const { return issuer_; }

  std::chrono::seconds access_ttl() const { return access_ttl_; }

  /// Unix seconds now, by the configured clock.
  int64_t now() const;

private:
  std::vector<signing_key> keys_;
  std::string header_segment_; // of keys_.front(), the same for every token it signs
  std::string issuer_;
  std::chrono::seconds access_ttl_;
  std::function<int64_t()> clock_;
  key_ring ring_;
  token_cache cache_;
  revocation_list revoked_;
  std::atomic<uint64_t> cache_hits_{0};
  std::atomic<uint64_t> cache_misses_{0};
};

} // namespace leasehold::crypto
