#define CAF_SUITE actors.license

#include "actors/license.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>

using namespace leasehold;
using namespace std::chrono_literals;

CAF_TEST(a license past its expires_at reports expired whatever its stored status) {
  license_terms terms;
  terms.status = license_status::trial;
  auto now = caf::make_timestamp();
  terms.expires_at = now - 1s;
  CAF_CHECK_EQUAL(effective_status(terms, now), license_status::expired);
  terms.expires_at = now + 1s;
  CAF_CHECK_EQUAL(effective_status(terms, now), license_status::trial);
}

CAF_TEST(expired cannot be set directly) {
  license_status x = license_status::active;
  CAF_CHECK(!from_string("expired", x));
  CAF_CHECK(from_string("suspended", x));
  CAF_CHECK_EQUAL(x, license_status::suspended);
  CAF_CHECK(!from_string("Active", x));
}

CAF_TEST(a patch changes only the fields it names) {
  license_terms terms;
  terms.seats_total = 10;
  terms.overdraft_seats = 2;
  terms.expires_at = caf::make_timestamp();
  license_patch patch;
  patch.seats_total = 3u;
  patch.clear_expires_at = true;
  apply(patch, terms);
  CAF_CHECK_EQUAL(terms.seats_total, 3u);
  CAF_CHECK_EQUAL(terms.overdraft_seats, 2u);
  CAF_CHECK(!terms.expires_at);
}
