#define CAF_SUITE actors.seat_ledger

#include "actors/seat_ledger.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>
#include <random>
#include <vector>

using namespace leasehold;
using namespace std::chrono_literals;

namespace {

license_terms make_terms(uint32_t seats, uint32_t overdraft) {
  license_terms terms;
  terms.id = "lic-1";
  terms.tenant_id = "t-1";
  terms.seats_total = seats;
  terms.overdraft_seats = overdraft;
  return terms;
}

session_record make_session(const std::string& id, const std::string& user = "u-1",
                            const std::string& hw = "hw-1") {
  session_record s;
  s.id = id;
  s.tenant_id = "t-1";
  s.license_id = "lic-1";
  s.user_id = user;
  s.hardware_id = hw;
  return s;
}

} // namespace

CAF_TEST(a reserved seat counts as used before it is confirmed) {
  seat_ledger ledger{make_terms(2, 0)};
  CAF_CHECK(ledger.reserve("s-1"));
  CAF_CHECK(ledger.reserve("s-2"));
  CAF_CHECK_EQUAL(ledger.seats_used(), 2u);
  CAF_CHECK(!ledger.has_free_seat());
  CAF_CHECK(!ledger.reserve("s-3"));
  CAF_CHECK(ledger.sessions().empty());
}

CAF_TEST(overdraft seats add to the limit) {
  seat_ledger ledger{make_terms(1, 2)};
  CAF_CHECK_EQUAL(ledger.seat_limit(), 3u);
  CAF_CHECK(ledger.reserve("a"));
  CAF_CHECK(ledger.reserve("b"));
  CAF_CHECK(ledger.reserve("c"));
  CAF_CHECK(!ledger.reserve("d"));
}

CAF_TEST(a cancelled reservation frees its seat) {
  seat_ledger ledger{make_terms(1, 0)};
  CAF_CHECK(ledger.reserve("s-1"));
  ledger.cancel_reservation("s-1");
  CAF_CHECK_EQUAL(ledger.seats_used(), 0u);
  CAF_CHECK(ledger.reserve("s-2"));
}

CAF_TEST(a confirmed session is found by id and by holder until it ends) {
  seat_ledger ledger{make_terms(2, 0)};
  CAF_REQUIRE(ledger.reserve("s-1"));
  auto& live = ledger.confirm(make_session("s-1", "u-1", "hw-1"));
  CAF_CHECK_EQUAL(live.generation, 1u);
  CAF_CHECK_EQUAL(ledger.seats_used(), 1u);
  CAF_CHECK_EQUAL(ledger.find("s-1"), &live);
  CAF_CHECK_EQUAL(ledger.find_by_holder("u-1", "hw-1"), &live);
  CAF_CHECK_EQUAL(ledger.find_by_holder("u-2", "hw-1"), nullptr);
  CAF_CHECK_EQUAL(ledger.find_by_holder("u-1", "hw-2"), nullptr);
  CAF_CHECK(ledger.end("s-1"));
  CAF_CHECK(!ledger.end("s-1"));
  CAF_CHECK_EQUAL(ledger.find_by_holder("u-1", "hw-1"), nullptr);
  CAF_CHECK_EQUAL(ledger.seats_used(), 0u);
}

CAF_TEST(renewing moves the recorded deadline and keeps the generation) {
  seat_ledger ledger{make_terms(1, 0)};
  CAF_REQUIRE(ledger.reserve("s-1"));
  auto& live = ledger.confirm(make_session("s-1"));
  auto now = caf::make_timestamp();
  ledger.renew(live, now, now + 30s);
  CAF_CHECK_EQUAL(live.record.expires_at, now + 30s);
  ledger.renew(live, now, now + 60s);
  CAF_CHECK_EQUAL(live.generation, 1u);
  CAF_CHECK_EQUAL(live.record.expires_at, now + 60s);
  CAF_CHECK_EQUAL(live.record.last_heartbeat_at, now);
}

CAF_TEST(restored sessions keep their seats after a seat reduction) {
  seat_ledger ledger{make_terms(3, 0)};
  ledger.restore(make_session("a", "u-1"));
  ledger.restore(make_session("b", "u-2"));
  ledger.restore(make_session("c", "u-3"));
  auto terms = ledger.terms();
  terms.seats_total = 1;
  ledger.set_terms(terms);
  CAF_CHECK_EQUAL(ledger.seats_used(), 3u);
  CAF_CHECK(!ledger.reserve("d"));
  CAF_CHECK(ledger.end("a"));
  CAF_CHECK(ledger.end("b"));
  CAF_CHECK(!ledger.reserve("d")); // 1 used, limit 1
  CAF_CHECK(ledger.end("c"));
  CAF_CHECK(ledger.reserve("d"));
}

CAF_TEST(waiters leave the queue in arrival order) {
  seat_ledger ledger{make_terms(1, 0)};
  ledger.park(7);
  ledger.park(3);
  ledger.park(9);
  CAF_CHECK(ledger.unpark(3));
  CAF_CHECK(!ledger.unpark(3));
  CAF_CHECK_EQUAL(ledger.waiting(), 2u);
  CAF_CHECK_EQUAL(ledger.next_waiter(), caf::optional<uint64_t>{7});
  CAF_CHECK_EQUAL(ledger.next_waiter(), caf::optional<uint64_t>{9});
  CAF_CHECK(!ledger.next_waiter());
}

CAF_TEST(random reserve confirm cancel and end never exceed the limit) {
  seat_ledger ledger{make_terms(3, 1)};
  std::mt19937_64 rng{2026};
  std::vector<std::string> reserved;
  std::vector<std::string> live;
  uint64_t next = 0;
  for (int step = 0; step < 5000; ++step) {
    switch (rng() % 4) {
    case 0: {
      auto id = "s-" + std::to_string(next++);
      if (ledger.reserve(id)) {
        reserved.push_back(id);
      }
      break;
    }
    case 1:
      if (!reserved.empty()) {
        auto i = rng() % reserved.size();
        ledger.confirm(make_session(reserved[i], "u-" + reserved[i]));
        live.push_back(reserved[i]);
        reserved.erase(reserved.begin() + static_cast<ptrdiff_t>(i));
      }
      break;
    case 2:
      if (!reserved.empty()) {
        auto i = rng() % reserved.size();
        ledger.cancel_reservation(reserved[i]);
        reserved.erase(reserved.begin() + static_cast<ptrdiff_t>(i));
      }
      break;
    default:
      if (!live.empty()) {
        auto i = rng() % live.size();
        CAF_CHECK(ledger.end(live[i]));
        live.erase(live.begin() + static_cast<ptrdiff_t>(i));
      }
    }
    CAF_REQUIRE_LESS_OR_EQUAL(ledger.seats_used(), ledger.seat_limit());
    CAF_REQUIRE_EQUAL(ledger.seats_used(), reserved.size() + live.size());
  }
}
