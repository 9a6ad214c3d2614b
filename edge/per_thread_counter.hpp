#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace leasehold::edge {

/// The shard of the calling thread among `shard_count`: threads take turns at their first
/// call. Counters written by several I/O threads keep one shard per thread (a shared cache
/// line would move between the CPUs on every write).
size_t this_threads_shard(size_t shard_count);

/// A count that threads change often and rarely read in total: each thread adds to its own
/// shard, `sum` adds the shards up. A value added and taken back on one thread never makes a
/// shard negative; the sum is exact once the writers are quiet.
class per_thread_counter {
public:
  void add(int64_t n) {
    shards_[this_threads_shard(shard_count)].value.fetch_add(n, std::memory_order_relaxed);
  }

  int64_t sum() const {
    int64_t total = 0;
    for (const auto& s : shards_) {
      total += s.value.load(std::memory_order_relaxed);
    }
    return total;
  }

private:
  static constexpr size_t shard_count = 16;
  struct alignas(64) shard {
    std::atomic<int64_t> value{0};
  };
  std::array<shard, shard_count> shards_;
};

} // namespace leasehold::edge
