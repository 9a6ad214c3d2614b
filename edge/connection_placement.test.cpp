#define CAF_SUITE edge.connection_placement

#include "edge/connection_placement.hpp"

#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <vector>

using namespace leasehold::edge;

namespace {

/// Places `n` connections arriving on `cpu`, keeping their slots open.
std::vector<size_t> place(connection_placement& placement, int cpu, size_t n,
                          std::vector<connection_slot>& open) {
  std::vector<size_t> chosen;
  for (size_t i = 0; i < n; ++i) {
    auto index = placement.pick(cpu);
    chosen.push_back(index);
    open.push_back(placement.occupy(index));
  }
  return chosen;
}

} // namespace

CAF_TEST(connections go to the contexts of the cpu they arrive on and share them evenly) {
  connection_placement placement{4, {0, 1}};
  std::vector<connection_slot> open;
  // Contexts 0 and 2 serve CPU 0, contexts 1 and 3 CPU 1.
  CAF_CHECK_EQUAL(place(placement, 0, 4, open), (std::vector<size_t>{0, 2, 0, 2}));
  CAF_CHECK_EQUAL(place(placement, 1, 4, open), (std::vector<size_t>{1, 3, 1, 3}));
  for (size_t i = 0; i < 4; ++i) {
    CAF_CHECK_EQUAL(placement.load(i), 2u);
  }
}

CAF_TEST(cpu ids map by their position among the usable ones) {
  // A process limited to CPUs 4 and 6: they are groups 0 and 1.
  connection_placement placement{2, {4, 6}};
  std::vector<connection_slot> open;
  CAF_CHECK_EQUAL(place(placement, 6, 2, open), (std::vector<size_t>{1, 1}));
  CAF_CHECK_EQUAL(place(placement, 4, 1, open), (std::vector<size_t>{0}));
}

CAF_TEST(an unknown cpu gets the least busy context) {
  connection_placement placement{2, {0, 1}};
  std::vector<connection_slot> open;
  place(placement, 0, 2, open);
  CAF_CHECK_EQUAL(placement.pick(-1), 1u);
  CAF_CHECK_EQUAL(placement.pick(7), 1u); // not usable by this process
}

CAF_TEST(one client thread opens all its connections before the next one starts) {
  connection_placement placement{4, {0, 1}, 16};
  std::vector<connection_slot> open;
  auto first = place(placement, 1, 32, open);
  CAF_CHECK(std::all_of(first.begin(), first.end(), [](size_t i) { return i % 2 == 1; }));
  auto second = place(placement, 0, 32, open);
  CAF_CHECK(std::all_of(second.begin(), second.end(), [](size_t i) { return i % 2 == 0; }));
}

CAF_TEST(traffic that all arrives on one cpu still reaches every context) {
  const size_t slack = 4;
  connection_placement placement{4, {0, 1}, slack};
  std::vector<connection_slot> open;
  auto chosen = place(placement, 0, 200, open);
  for (size_t i = 0; i < 4; ++i) {
    CAF_CHECK_GREATER(std::count(chosen.begin(), chosen.end(), i), 0);
  }
  auto most =
    std::max({placement.load(0), placement.load(1), placement.load(2), placement.load(3)});
  auto least =
    std::min({placement.load(0), placement.load(1), placement.load(2), placement.load(3)});
  CAF_CHECK_LESS_OR_EQUAL(most, 2 * least + slack);
}

CAF_TEST(a connection follows its client to another cpu) {
  connection_placement placement{4, {0, 1}};
  std::vector<connection_slot> open;
  place(placement, 1, 2, open);                      // on contexts 1 and 3
  CAF_CHECK_EQUAL(placement.place_again(1, 1), 1u);  // still on its CPU's context
  CAF_CHECK_EQUAL(placement.place_again(-1, 3), 3u); // unknown: stays
  CAF_CHECK_EQUAL(placement.place_again(0, 1), 0u);  // its client now runs on CPU 0
  open.push_back(placement.occupy(0));
  CAF_CHECK_EQUAL(placement.place_again(0, 3), 2u); // the less busy of CPU 0's contexts
}

CAF_TEST(the balance guard keeps a connection where it is) {
  connection_placement placement{2, {0, 1}, 2};
  std::vector<connection_slot> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(placement.occupy(0)); // CPU 0's context is full beyond the guard
  }
  CAF_CHECK_EQUAL(placement.place_again(0, 1), 1u);
}

CAF_TEST(a closed connection frees its place) {
  connection_placement placement{2, {0, 1}};
  {
    auto slot = placement.occupy(1);
    CAF_CHECK_EQUAL(placement.load(1), 1u);
    auto moved = std::move(slot);
    CAF_CHECK_EQUAL(placement.load(1), 1u); // counted once
    moved = placement.occupy(0);            // a connection that moved to context 0
    CAF_CHECK_EQUAL(placement.load(1), 0u);
    CAF_CHECK_EQUAL(placement.load(0), 1u);
  }
  CAF_CHECK_EQUAL(placement.load(0), 0u);
}

CAF_TEST(a context serves the cpus of its group) {
  connection_placement four_on_two{4, {0, 1}};
  CAF_CHECK_EQUAL(four_on_two.cpus_of(0), std::vector<int>{0});
  CAF_CHECK_EQUAL(four_on_two.cpus_of(1), std::vector<int>{1});
  CAF_CHECK_EQUAL(four_on_two.cpus_of(2), std::vector<int>{0});
  CAF_CHECK_EQUAL(four_on_two.cpus_of(3), std::vector<int>{1});
  // Fewer contexts than CPUs: each serves several, by position (ids need not be contiguous).
  connection_placement two_on_four{2, {1, 3, 4, 6}};
  CAF_CHECK_EQUAL(two_on_four.cpus_of(0), (std::vector<int>{1, 4}));
  CAF_CHECK_EQUAL(two_on_four.cpus_of(1), (std::vector<int>{3, 6}));
}
