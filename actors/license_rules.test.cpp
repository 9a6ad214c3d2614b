#define CAF_SUITE actors.license_rules

#include "actors/license_rules.hpp"

#include "actors/errc.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>

using namespace leasehold;
using namespace std::chrono_literals;

namespace {

license_terms make_terms(std::string id, std::string product, license_status status,
                         caf::timestamp created) {
  license_terms terms;
  terms.id = std::move(id);
  terms.tenant_id = "t-1";
  terms.product = std::move(product);
  terms.status = status;
  terms.created_at = created;
  return terms;
}

struct fixture {
  caf::timestamp now = caf::make_timestamp();
  std::map<std::string, seat_ledger> ledgers;

  void add(std::string id, std::string product, license_status status, caf::timespan age = 0s) {
    auto terms = make_terms(id, std::move(product), status, now - age);
    ledgers.emplace(std::move(id), seat_ledger{std::move(terms)});
  }

  std::string pick(std::string license_id, std::string product) {
    acquire_request req;
    req.license_id = std::move(license_id);
    req.product = std::move(product);
    auto* ledger = select_license(ledgers, req, now);
    return ledger != nullptr ? ledger->terms().id : "none";
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(license_rules_tests, fixture)

CAF_TEST(a given license id picks that license or nothing) {
  add("a", "default", license_status::active);
  CAF_CHECK_EQUAL(pick("a", ""), "a");
  CAF_CHECK_EQUAL(pick("b", ""), "none");
}

CAF_TEST(without a license id the active license of the product is used) {
  add("a", "cad", license_status::active);
  add("b", "default", license_status::suspended);
  add("c", "default", license_status::trial);
  add("d", "cam", license_status::active);
  CAF_CHECK_EQUAL(pick("", "cad"), "a");
  CAF_CHECK_EQUAL(pick("", ""), "c");
  CAF_CHECK_EQUAL(pick("", "default"), "c");
  CAF_CHECK_EQUAL(pick("", "other"), "none");
}

CAF_TEST(the oldest active license of a product wins) {
  add("young", "default", license_status::active, 1s);
  add("old", "default", license_status::active, 10s);
  CAF_CHECK_EQUAL(pick("", ""), "old");
}

CAF_TEST(the only active license serves requests without a product) {
  add("a", "cad", license_status::active);
  add("b", "cam", license_status::cancelled);
  CAF_CHECK_EQUAL(pick("", ""), "a");
  CAF_CHECK_EQUAL(pick("", "cam"), "b"); // refusing, but it says why
  add("c", "viewer", license_status::active);
  CAF_CHECK_EQUAL(pick("", ""), "none"); // two active licenses: ambiguous
}

CAF_TEST(a refusing license of the product is chosen so that the caller learns why) {
  add("a", "default", license_status::suspended);
  CAF_CHECK_EQUAL(pick("", ""), "a");
  CAF_CHECK(is_errc(check_acquirable(ledgers.at("a").terms(), now), errc::license_suspended));
}

CAF_TEST(license states map to their refusals and trial acquires like active) {
  auto terms = make_terms("a", "default", license_status::trial, now);
  CAF_CHECK(!check_acquirable(terms, now));
  terms.status = license_status::suspended;
  CAF_CHECK(is_errc(check_acquirable(terms, now), errc::license_suspended));
  terms.status = license_status::cancelled;
  CAF_CHECK(is_errc(check_acquirable(terms, now), errc::license_cancelled));
  terms.status = license_status::active;
  terms.expires_at = now - 1s;
  CAF_CHECK(is_errc(check_acquirable(terms, now), errc::license_expired));
}

CAF_TEST(timing terms are validated) {
  auto terms = make_terms("a", "default", license_status::active, now);
  terms.session_ttl = 2;
  terms.heartbeat_interval = 1;
  CAF_CHECK(!validate_terms(terms));
  terms.session_ttl = 1;
  terms.heartbeat_interval = 0;
  CAF_CHECK(is_errc(validate_terms(terms), errc::bad_request));
  terms.session_ttl = 10;
  CAF_CHECK(is_errc(validate_terms(terms), errc::bad_request));
  terms.heartbeat_interval = 10;
  CAF_CHECK(is_errc(validate_terms(terms), errc::bad_request));
  CAF_CHECK_NOT_EQUAL(error_message(validate_terms(terms)), "");
}

CAF_TEST_FIXTURE_SCOPE_END()
