#pragma once

#include "edge/bearer.hpp"

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leasehold::crypto {

/// A bounded map from token text to the claims of a token whose signature was already checked,
/// so that the hot path skips Ed25519. Sharded by the token's hash, each shard an LRU list
/// under its own mutex; never holds more than `capacity` entries. Thread-safe.
class token_cache {
public:
  static constexpr size_t default_shards = 16;

  /// A cache of at most `capacity` entries (at least one).
  explicit token_cache(size_t capacity, size_t shards = default_shards);

  token_cache(const token_cache&) = delete;
  token_cache& operator=(const token_cache&) = delete;

  /// The claims of `token` if cached and not expired at `now`, else null; an expired entry is
  /// dropped.
  edge::bearer_ptr find(std::string_view token, int64_t now);

  /// Caches `claims` for `token`, evicting the shard's least recently used entry when full.
  void insert(std::string_view token, edge::bearer_ptr claims);

  /// The number of cached tokens (a snapshot; shards are counted one after another).
  size_t size() const;

  /// The most entries the cache ever holds.
  size_t capacity() const { return shards_.size() * shard_capacity_; }

private:
  struct entry {
    std::string token;
    edge::bearer_ptr claims;
  };

  // Hashes a token's last characters only: a JWT ends with its signature, which nobody can
  // choose without the key (only verified tokens are inserted), and hashing all ~400
  // characters, for the shard and again for the map, was a visible share of every request.
  struct token_hash {
    size_t operator()(std::string_view token) const;
  };
  struct shard {
    mutable std::mutex mtx;
    std::list<entry> lru; // most recently used first
    // Keys view the `token` of their list node, which never moves.
    std::unordered_map<std::string_view, std::list<entry>::iterator, token_hash> index;
  };

  shard& shard_of(std::string_view token);

  size_t shard_capacity_;
  std::vector<std::unique_ptr<shard>> shards_;
};

} // namespace leasehold::crypto
