#include "edge/crypto/revocation_list.hpp"

#include <algorithm>
#include <functional>

namespace leasehold::crypto {

namespace {

constexpr size_t min_prune_size = 1024;

} // namespace

revocation_list::revocation_list(size_t shards) {
  auto count = std::max<size_t>(shards, 1);
  shards_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    shards_.push_back(std::make_unique<shard>());
  }
}

revocation_list::shard& revocation_list::shard_of(const std::string& jti) const {
  return *shards_[std::hash<std::string>{}(jti) % shards_.size()];
}

void revocation_list::revoke(const std::string& jti, int64_t expires_at, int64_t now) {
  if (expires_at <= now) {
    return;
  }
  auto& s = shard_of(jti);
  std::lock_guard<std::mutex> guard{s.mtx};
  auto [i, added] = s.entries.emplace(jti, expires_at);
  if (!added) {
    i->second = std::max(i->second, expires_at);
    return;
  }
  count_.fetch_add(1);
  if (s.entries.size() >= s.prune_at) {
    prune_locked(s, now);
    s.prune_at = std::max(min_prune_size, 2 * s.entries.size());
  }
}

bool revocation_list::is_revoked(const std::string& jti) const {
  // The common case on the hot path: nobody logged out since start-up.
  if (count_.load() == 0) {
    return false;
  }
  auto& s = shard_of(jti);
  std::lock_guard<std::mutex> guard{s.mtx};
  return s.entries.count(jti) != 0;
}

size_t revocation_list::prune(int64_t now) {
  size_t removed = 0;
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> guard{s->mtx};
    removed += prune_locked(*s, now);
  }
  return removed;
}

size_t revocation_list::prune_locked(shard& s, int64_t now) {
  size_t removed = 0;
  for (auto i = s.entries.begin(); i != s.entries.end();) {
    if (i->second <= now) {
      i = s.entries.erase(i);
      ++removed;
    } else {
      ++i;
    }
  }
  count_.fetch_sub(removed);
  return removed;
}

} // namespace leasehold::crypto
