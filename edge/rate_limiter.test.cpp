#define CAF_SUITE edge.rate_limiter

#include "edge/rate_limiter.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::edge;
using namespace std::chrono_literals;

namespace {

struct fixture {
  std::chrono::steady_clock::time_point now{};

  rate_limiter make(rate_limits limits) {
    return rate_limiter{limits, [this] { return now; }};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(rate_limiter_tests, fixture)

CAF_TEST(a user gets the configured requests per minute on one route) {
  auto limiter = make({3, 60, 10});
  for (int i = 0; i < 3; ++i) {
    CAF_CHECK(limiter.allow_user_request("u1", "/r").allowed);
  }
  auto denied = limiter.allow_user_request("u1", "/r");
  CAF_CHECK(!denied.allowed);
  CAF_CHECK_EQUAL(denied.retry_after, 20u); // one token per 20 s at 3 per minute
  // Other routes and other users are not affected.
  CAF_CHECK(limiter.allow_user_request("u1", "/other").allowed);
  CAF_CHECK(limiter.allow_user_request("u2", "/r").allowed);
}

CAF_TEST(tokens refill over time) {
  auto limiter = make({60, 60, 10});
  for (int i = 0; i < 60; ++i) {
    CAF_CHECK(limiter.allow_user_request("u1", "/r").allowed);
  }
  CAF_CHECK(!limiter.allow_user_request("u1", "/r").allowed);
  now += 999ms;
  CAF_CHECK(!limiter.allow_user_request("u1", "/r").allowed);
  now += 1ms;
  CAF_CHECK(limiter.allow_user_request("u1", "/r").allowed);
  CAF_CHECK(!limiter.allow_user_request("u1", "/r").allowed);
  now += 60s;
  for (int i = 0; i < 60; ++i) {
    CAF_CHECK(limiter.allow_user_request("u1", "/r").allowed);
  }
  CAF_CHECK(!limiter.allow_user_request("u1", "/r").allowed);
}

CAF_TEST(registrations are limited per address) {
  auto limiter = make({600, 2, 10});
  CAF_CHECK(limiter.allow_register("10.0.0.1"));
  CAF_CHECK(limiter.allow_register("10.0.0.1"));
  CAF_CHECK(!limiter.allow_register("10.0.0.1"));
  CAF_CHECK(limiter.allow_register("10.0.0.2"));
  // No exemption for loopback.
  CAF_CHECK(limiter.allow_register("127.0.0.1"));
  CAF_CHECK(limiter.allow_register("127.0.0.1"));
  CAF_CHECK(!limiter.allow_register("127.0.0.1"));
  now += 30s;
  CAF_CHECK(limiter.allow_register("10.0.0.1"));
  CAF_CHECK(!limiter.allow_register("10.0.0.1"));
}

CAF_TEST(failed logins block an email after the limit for a while) {
  auto limiter = make({600, 60, 3});
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
  limiter.record_failed_login("a@example.com");
  limiter.record_failed_login("A@Example.com"); // the same email in another case
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
  limiter.record_failed_login("a@example.com");
  CAF_CHECK(limiter.failed_login_blocked("a@example.com"));
  CAF_CHECK_EQUAL(limiter.failed_login_retry_after("a@example.com"), 300u); // 15 min / 3
  CAF_CHECK(!limiter.failed_login_blocked("b@example.com"));
  // Checking does not consume: still blocked the same way, and free again after a while.
  now += 299s;
  CAF_CHECK(limiter.failed_login_blocked("a@example.com"));
  now += 1s;
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
}

CAF_TEST(failures while blocked keep the email blocked) {
  auto limiter = make({600, 60, 2});
  limiter.record_failed_login("a@example.com");
  limiter.record_failed_login("a@example.com");
  now += 400s; // almost one failure refilled (one per 450 s)
  limiter.record_failed_login("a@example.com");
  CAF_CHECK(limiter.failed_login_blocked("a@example.com"));
  now += 449s;
  CAF_CHECK(limiter.failed_login_blocked("a@example.com"));
  now += 1s;
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
}

CAF_TEST(clearing failed logins unblocks an email) {
  auto limiter = make({600, 60, 1});
  limiter.record_failed_login("a@example.com");
  CAF_CHECK(limiter.failed_login_blocked("a@example.com"));
  limiter.clear_failed_logins("a@example.com");
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
}

CAF_TEST(pruning drops only buckets that are full again) {
  auto limiter = make({10, 60, 10});
  limiter.allow_user_request("u1", "/r");
  now += 3s;
  limiter.allow_user_request("u2", "/r");
  limiter.record_failed_login("a@example.com");
  CAF_CHECK_EQUAL(limiter.size(), 3u);
  now += 2s; // t = 5 s: nothing is full yet (one token takes 6 s)
  limiter.prune();
  CAF_CHECK_EQUAL(limiter.size(), 3u);
  now += 1500ms; // t = 6.5 s: u1 is full again, u2 not yet
  limiter.prune();
  CAF_CHECK_EQUAL(limiter.size(), 2u);
  now += 3s; // t = 9.5 s: u2 is full again
  limiter.prune();
  CAF_CHECK_EQUAL(limiter.size(), 1u);
  now += 90s;
  limiter.prune();
  CAF_CHECK_EQUAL(limiter.size(), 0u);
}

CAF_TEST(a zero limit disables the check) {
  auto limiter = make({0, 0, 0});
  for (int i = 0; i < 100; ++i) {
    CAF_CHECK(limiter.allow_user_request("u1", "/r").allowed);
    CAF_CHECK(limiter.allow_register("1.2.3.4"));
    limiter.record_failed_login("a@example.com");
  }
  CAF_CHECK(!limiter.failed_login_blocked("a@example.com"));
  CAF_CHECK_EQUAL(limiter.size(), 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
