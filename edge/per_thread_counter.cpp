#include "edge/per_thread_counter.hpp"

namespace leasehold::edge {

size_t this_threads_shard(size_t shard_count) {
  static std::atomic<size_t> threads_seen{0};
  thread_local const size_t turn = threads_seen.fetch_add(1, std::memory_order_relaxed);
  return turn % shard_count;
}

} // namespace leasehold::edge
