#define CAF_SUITE edge.cpu_affinity

#include "edge/cpu_affinity.hpp"

#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <thread>

using namespace leasehold::edge;

CAF_TEST(the usable cpus are known) {
  auto cpus = usable_cpus();
  CAF_CHECK(!cpus.empty());
  CAF_CHECK(std::is_sorted(cpus.begin(), cpus.end()));
}

CAF_TEST(a pinned thread runs on its cpu only and other threads keep theirs) {
  auto before = usable_cpus();
  auto last = before.back();
  std::vector<int> seen;
  auto pinned = false;
  std::thread worker{[&] {
    pinned = pin_this_thread({last});
    seen = usable_cpus();
  }};
  worker.join();
  CAF_CHECK(pinned);
  CAF_CHECK_EQUAL(seen, std::vector<int>{last});
  CAF_CHECK_EQUAL(usable_cpus(), before);
}

CAF_TEST(pinning to no usable cpu fails and leaves the thread as it was) {
  auto before = usable_cpus();
  auto none = true;
  auto out_of_range = true;
  std::vector<int> seen;
  std::thread worker{[&] {
    none = pin_this_thread({});
    out_of_range = pin_this_thread({-1, 1 << 20});
    seen = usable_cpus();
  }};
  worker.join();
  CAF_CHECK(!none);
  CAF_CHECK(!out_of_range);
  CAF_CHECK_EQUAL(seen, before);
}
