#define CAF_SUITE edge.per_thread_counter

#include "edge/per_thread_counter.hpp"

#include <caf/test/unit_test.hpp>

#include <set>
#include <thread>
#include <vector>

using namespace leasehold::edge;

CAF_TEST(changes made on many threads add up) {
  per_thread_counter counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) { // more threads than shards: some share one
    threads.emplace_back([&counter] {
      for (int i = 0; i < 1000; ++i) {
        counter.add(1);
        counter.add(2);
        counter.add(-1);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CAF_CHECK_EQUAL(counter.sum(), 20 * 2000);
}

CAF_TEST(each thread keeps its shard and threads take turns) {
  auto mine = this_threads_shard(16);
  CAF_CHECK_EQUAL(this_threads_shard(16), mine);
  std::set<size_t> seen;
  std::vector<std::thread> threads;
  std::vector<size_t> shards(4);
  for (size_t t = 0; t < shards.size(); ++t) {
    threads.emplace_back([&shards, t] { shards[t] = this_threads_shard(1000); });
  }
  for (auto& t : threads) {
    t.join();
  }
  seen.insert(shards.begin(), shards.end());
  CAF_CHECK_EQUAL(seen.size(), shards.size()); // new threads get distinct turns
}
