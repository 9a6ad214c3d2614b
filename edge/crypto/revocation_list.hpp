#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace leasehold::crypto {

/// Revoked token ids (`jti`) with the time their tokens expire anyway, after which an entry
/// is pruned. Sharded by jti hash; thread-safe. Checking an id while the list is empty costs
/// one atomic load.
class revocation_list {
public:
  static constexpr size_t default_shards = 16;

  explicit revocation_list(size_t shards = default_shards);

  revocation_list(const revocation_list&) = delete;
  revocation_list& operator=(const revocation_list&) = delete;

  /// Revokes `jti` until `expires_at` (unix seconds). Entries already expired at `now` are not
  /// stored (their tokens fail the expiry check anyway); a shard that has grown is pruned.
  void revoke(const std::string& jti, int64_t expires_at, int64_t now);

  /// True iff `jti` is revoked.
  bool is_revoked(const std::string& jti) const;

  /// Drops entries expired at `now`; returns how many.
  size_t prune(int64_t now);

  /// The number of stored entries.
  size_t size() const { return count_.load(); }

private:
  struct shard {
    mutable std::mutex mtx;
    std::unordered_map<std::string, int64_t> entries; // jti -> exp
    size_t prune_at = 1024; // size at which `revoke` prunes next (doubles, amortized O(1))
  };

  shard& shard_of(const std::string& jti) const;
  size_t prune_locked(shard& s, int64_t now);

  std::vector<std::unique_ptr<shard>> shards_;
  std::atomic<size_t> count_{0};
};

} // namespace leasehold::crypto
