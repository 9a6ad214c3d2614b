#define CAF_SUITE edge.io_context_pool

#include "edge/io_context_pool.hpp"

#include "edge/cpu_affinity.hpp"

#include <caf/test/unit_test.hpp>

#include <boost/asio/post.hpp>

#include <future>
#include <vector>

using namespace leasehold::edge;

namespace {

/// The CPUs the thread of `pool`'s context `index` may run on.
std::vector<int> cpus_of_thread(io_context_pool& pool, size_t index) {
  std::promise<std::vector<int>> seen;
  boost::asio::post(pool.at(index), [&seen] { seen.set_value(usable_cpus()); });
  return seen.get_future().get();
}

} // namespace

CAF_TEST(each thread runs on the cpus it was given) {
  auto cpus = usable_cpus();
  io_context_pool pool{2};
  pool.run({{cpus.front()}, {cpus.back()}});
  CAF_CHECK_EQUAL(cpus_of_thread(pool, 0), std::vector<int>{cpus.front()});
  CAF_CHECK_EQUAL(cpus_of_thread(pool, 1), std::vector<int>{cpus.back()});
  pool.stop();
}

CAF_TEST(threads without cpus given may run anywhere) {
  auto cpus = usable_cpus();
  io_context_pool pool{2};
  pool.run({{cpus.front()}}); // none for the second thread
  CAF_CHECK_EQUAL(cpus_of_thread(pool, 1), cpus);
  pool.stop();
  io_context_pool unpinned{1};
  unpinned.run();
  CAF_CHECK_EQUAL(cpus_of_thread(unpinned, 0), cpus);
}
