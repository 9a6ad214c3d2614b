#include "edge/crypto/token_cache.hpp"

#include <algorithm>
#include <functional>

namespace leasehold::crypto {

token_cache::token_cache(size_t capacity, size_t shards) {
  capacity = std::max<size_t>(capacity, 1);
  // Never more shards than entries, so that the per-shard share rounds down to at least one
  // and the total stays within `capacity`.
  auto count = std::clamp<size_t>(shards, 1, capacity);
  shard_capacity_ = capacity / count;
  shards_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    shards_.push_back(std::make_unique<shard>());
  }
}

size_t token_cache::token_hash::operator()(std::string_view token) const {
  constexpr size_t tail = 32;
  return std::hash<std::string_view>{}(token.size() > tail ? token.substr(token.size() - tail)
                                                           : token);
}

token_cache::shard& token_cache::shard_of(std::string_view token) {
  // The map's buckets use the same hash: fine, since their count is prime, not a multiple of
  // the shard count.
  return *shards_[token_hash{}(token) % shards_.size()];
}

edge::bearer_ptr token_cache::find(std::string_view token, int64_t now) {
  auto& s = shard_of(token);
  std::lock_guard<std::mutex> guard{s.mtx};
  auto i = s.index.find(token);
  if (i == s.index.end()) {
    return nullptr;
  }
  auto node = i->second;
  if (node->claims->expires_at <= now) {
    s.index.erase(i);
    s.lru.erase(node);
    return nullptr;
  }
  s.lru.splice(s.lru.begin(), s.lru, node);
  return node->claims;
}

void token_cache::insert(std::string_view token, edge::bearer_ptr claims) {
  auto& s = shard_of(token);
  std::lock_guard<std::mutex> guard{s.mtx};
  auto i = s.index.find(token);
  if (i != s.index.end()) {
    // Two threads verified the same token at once: keep one entry.
    s.lru.splice(s.lru.begin(), s.lru, i->second);
    return;
  }
  if (s.lru.size() >= shard_capacity_) {
    s.index.erase(std::string_view{s.lru.back().token});
    s.lru.pop_back();
  }
  s.lru.push_front(entry{std::string{token}, std::move(claims)});
  s.index.emplace(std::string_view{s.lru.front().token}, s.lru.begin());
}

size_t token_cache::size() const {
  size_t result = 0;
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> guard{s->mtx};
    result += s->lru.size();
  }
  return result;
}

} // namespace leasehold::crypto
