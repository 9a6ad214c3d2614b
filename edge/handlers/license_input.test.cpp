#define CAF_SUITE edge.license_input

#include "edge/handlers/license_input.hpp"

#include "actors/errc.hpp"
#include "edge/request_body.hpp"

#include <caf/test/unit_test.hpp>

#include "leasehold/api/v1/licenses.pb.h"

#include <chrono>
#include <string>

using namespace leasehold;
using namespace leasehold::edge;
using namespace std::chrono_literals;

namespace {

const std::string tenant = "22222222-2222-4222-8222-222222222222";

api::v1::CreateLicenseRequest create(const std::string& json) {
  api::v1::CreateLicenseRequest req;
  auto err = parse_json_strict(json, req);
  if (err) {
    CAF_FAIL("cannot parse " << json << ": " << *err);
  }
  return req;
}

api::v1::PatchLicenseRequest patch(const std::string& json) {
  api::v1::PatchLicenseRequest req;
  auto err = parse_json_strict(json, req);
  if (err) {
    CAF_FAIL("cannot parse " << json << ": " << *err);
  }
  return req;
}

// The message of a bad_request from terms_from_request, "" if the request was accepted.
std::string refusal(const std::string& json) {
  auto terms = terms_from_request(create(json), tenant, caf::make_timestamp());
  if (terms) {
    return "";
  }
  CAF_CHECK(is_errc(terms.error(), errc::bad_request));
  return error_message(terms.error());
}

std::string patch_refusal(const std::string& json) {
  auto x = patch_from_request(patch(json));
  if (x) {
    return "";
  }
  CAF_CHECK(is_errc(x.error(), errc::bad_request));
  return error_message(x.error());
}

} // namespace

CAF_TEST(a minimal license request gets the api defaults) {
  auto now = caf::make_timestamp();
  auto terms = terms_from_request(create(R"({"tier": "pro", "seats_total": 5})"), tenant, now);
  CAF_REQUIRE(terms);
  CAF_CHECK_EQUAL(terms->tenant_id, tenant);
  CAF_CHECK_EQUAL(terms->product, "default");
  CAF_CHECK_EQUAL(terms->tier, license_tier::pro);
  CAF_CHECK_EQUAL(terms->status, license_status::active);
  CAF_CHECK_EQUAL(terms->seats_total, 5u);
  CAF_CHECK_EQUAL(terms->overdraft_seats, 0u);
  CAF_CHECK(!terms->expires_at);
  CAF_CHECK_EQUAL(terms->heartbeat_interval, 300u);
  CAF_CHECK_EQUAL(terms->session_ttl, 360u);
  CAF_CHECK_EQUAL(terms->offline_grace, 259200u);
  CAF_CHECK_EQUAL(terms->max_devices, 0u);
  CAF_CHECK_EQUAL(terms->created_at, now);
}

CAF_TEST(a full license request is taken over field by field) {
  auto terms = terms_from_request(
    create(R"({"product": "cad", "tier": "enterprise", "seats_total": 0, "overdraft_seats": 2,
               "expires_at": "2027-01-01T00:00:00Z", "features": {"export": true},
               "heartbeat_interval": 1, "session_ttl": 2, "offline_grace": 0,
               "max_devices": 3})"),
    tenant, caf::make_timestamp());
  CAF_REQUIRE(terms);
  CAF_CHECK_EQUAL(terms->product, "cad");
  CAF_CHECK_EQUAL(terms->seats_total, 0u);
  CAF_CHECK_EQUAL(terms->overdraft_seats, 2u);
  CAF_REQUIRE(terms->expires_at);
  CAF_CHECK_EQUAL(
    std::chrono::duration_cast<std::chrono::seconds>(terms->expires_at->time_since_epoch()).count(),
    1798761600);
  CAF_CHECK_EQUAL(terms->features.at("export"), true);
  CAF_CHECK_EQUAL(terms->heartbeat_interval, 1u);
  CAF_CHECK_EQUAL(terms->session_ttl, 2u);
  CAF_CHECK_EQUAL(terms->offline_grace, 0u);
  CAF_CHECK_EQUAL(terms->max_devices, 3u);
}

CAF_TEST(bad license requests are refused with the field named) {
  CAF_CHECK_NOT_EQUAL(refusal(R"({"seats_total": 5})").find("tier"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(refusal(R"({"tier": "gold", "seats_total": 5})").find("tier"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(refusal(R"({"tier": "pro"})").find("seats_total"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(refusal(R"({"tier": "pro", "seats_total": -1})").find("seats_total"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    refusal(R"({"tier": "pro", "seats_total": 1, "session_ttl": 1})").find("session_ttl"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(refusal(R"({"tier": "pro", "seats_total": 1, "heartbeat_interval": 0})")
                        .find("heartbeat_interval"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    refusal(R"({"tier": "pro", "seats_total": 1, "heartbeat_interval": 10, "session_ttl": 10})")
      .find("heartbeat_interval"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(refusal(R"({"tier": "pro", "seats_total": 1, "heartbeat_interval": 400})")
                        .find("heartbeat_interval"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    refusal(R"({"tier": "pro", "seats_total": 1, "expires_at": "tomorrow"})").find("expires_at"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    refusal(R"({"tier": "pro", "seats_total": 1, "expires_at": 5})").find("expires_at"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    refusal(R"({"tier": "pro", "seats_total": 1, "product": "a b"})").find("product"),
    std::string::npos);
  CAF_CHECK_EQUAL(refusal(R"({"tier": "pro", "seats_total": 1, "expires_at": null})"), "");
}

CAF_TEST(a patch tells a null expiry apart from an absent one) {
  auto cleared = patch_from_request(patch(R"({"expires_at": null})"));
  CAF_REQUIRE(cleared);
  CAF_CHECK(cleared->clear_expires_at);
  CAF_CHECK(!cleared->expires_at);
  auto untouched = patch_from_request(patch(R"({"seats_total": 3})"));
  CAF_REQUIRE(untouched);
  CAF_CHECK(!untouched->clear_expires_at);
  CAF_CHECK(!untouched->expires_at);
  CAF_CHECK_EQUAL(untouched->seats_total, caf::optional<uint32_t>{3u});
  CAF_CHECK(!untouched->status);
  CAF_CHECK(!untouched->features);
  auto set = patch_from_request(patch(R"({"expires_at": "2027-01-01T00:00:00Z"})"));
  CAF_REQUIRE(set);
  CAF_CHECK(!set->clear_expires_at);
  CAF_CHECK(set->expires_at);
}

CAF_TEST(a patch with empty features clears them and an absent one keeps them) {
  auto cleared = patch_from_request(patch(R"({"features": {}})"));
  CAF_REQUIRE(cleared);
  CAF_REQUIRE(cleared->features);
  CAF_CHECK(cleared->features->empty());
  auto set = patch_from_request(patch(R"({"features": {"sso": true, "beta": false}})"));
  CAF_REQUIRE(set);
  CAF_REQUIRE(set->features);
  CAF_CHECK_EQUAL(set->features->size(), 2u);
  CAF_CHECK_EQUAL(set->features->at("beta"), false);
  CAF_CHECK(is_empty(*patch_from_request(patch("{}"))));
  CAF_CHECK(!is_empty(*cleared));
}

CAF_TEST(bad patches are refused) {
  CAF_CHECK_NOT_EQUAL(patch_refusal(R"({"status": "expired"})").find("status"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(patch_refusal(R"({"status": "ACTIVE"})").find("status"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(patch_refusal(R"({"features": {"sso": "yes"}})").find("features"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(patch_refusal(R"({"seats_total": -2})").find("seats_total"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(patch_refusal(R"({"session_ttl": 1})").find("session_ttl"),
                      std::string::npos);
  CAF_CHECK_EQUAL(patch_refusal(R"({"status": "suspended"})"), "");
}

CAF_TEST(timing is checked on the merged terms) {
  license_terms terms; // heartbeat 300, ttl 360
  CAF_CHECK_EQUAL(check_timing(terms), caf::none);
  license_patch p;
  p.session_ttl = 200u;
  apply(p, terms);
  CAF_CHECK(is_errc(check_timing(terms), errc::bad_request));
  p.heartbeat_interval = 100u;
  apply(p, terms);
  CAF_CHECK_EQUAL(check_timing(terms), caf::none);
}
