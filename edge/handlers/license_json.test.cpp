#define CAF_SUITE edge.license_json

#include "edge/handlers/license_json.hpp"

#include <caf/test/unit_test.hpp>

#include "leasehold/api/v1/licenses.pb.h"
#include <google/protobuf/util/json_util.h>

#include <chrono>

using namespace leasehold;
using namespace leasehold::edge;
using namespace std::chrono_literals;

namespace {

// The printer options of edge/response.cpp (reply_json).
std::string to_json(const google::protobuf::Message& msg) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  opts.always_print_primitive_fields = true;
  std::string out;
  CAF_REQUIRE(google::protobuf::util::MessageToJsonString(msg, &out, opts).ok());
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// 2026-11-21T10:00:00Z
caf::timestamp base_time() {
  return caf::timestamp{std::chrono::duration_cast<caf::timespan>(1'795'255'200s)};
}

license_view sample() {
  license_view view;
  view.terms.id = "11111111-1111-4111-8111-111111111111";
  view.terms.tenant_id = "22222222-2222-4222-8222-222222222222";
  view.terms.key = "LH-ABCDE-FGHJK-LMNPQ-RSTUV";
  view.terms.tier = license_tier::pro;
  view.terms.seats_total = 10;
  view.terms.features = {{"export", true}, {"beta", false}};
  view.terms.created_at = base_time() + 250ms; // fractions are not shown
  view.seats_used = 0;
  return view;
}

} // namespace

CAF_TEST(a license prints every field of the API with null for no expiry) {
  api::v1::License out;
  to_proto(sample(), key_visibility::full, base_time(), out);
  auto json = to_json(out);
  CAF_MESSAGE(json);
  CAF_CHECK(contains(json, R"("id":"11111111-1111-4111-8111-111111111111")"));
  CAF_CHECK(contains(json, R"("tenant_id":"22222222-2222-4222-8222-222222222222")"));
  CAF_CHECK(contains(json, R"("key":"LH-ABCDE-FGHJK-LMNPQ-RSTUV")"));
  CAF_CHECK(contains(json, R"("product":"default")"));
  CAF_CHECK(contains(json, R"("tier":"pro")"));
  CAF_CHECK(contains(json, R"("status":"active")"));
  CAF_CHECK(contains(json, R"("seats_total":10)"));
  CAF_CHECK(contains(json, R"("seats_used":0)"));
  CAF_CHECK(contains(json, R"("overdraft_seats":0)"));
  CAF_CHECK(contains(json, R"("expires_at":null)"));
  CAF_CHECK(contains(json, R"("features":{)"));
  CAF_CHECK(contains(json, R"("export":true)"));
  CAF_CHECK(contains(json, R"("beta":false)"));
  CAF_CHECK(contains(json, R"("heartbeat_interval":300)"));
  CAF_CHECK(contains(json, R"("session_ttl":360)"));
  CAF_CHECK(contains(json, R"("offline_grace":259200)"));
  CAF_CHECK(contains(json, R"("max_devices":0)"));
  CAF_CHECK(contains(json, R"("created_at":"2026-11-21T10:00:00Z")"));
}

CAF_TEST(a license past its expiry shows the time and status expired) {
  auto view = sample();
  view.terms.status = license_status::trial;
  view.terms.expires_at = base_time() + 3600s;
  api::v1::License out;
  to_proto(view, key_visibility::full, base_time(), out);
  CAF_CHECK_EQUAL(out.status(), "trial");
  CAF_CHECK(contains(to_json(out), R"("expires_at":"2026-11-21T11:00:00Z")"));
  to_proto(view, key_visibility::full, base_time() + 3601s, out);
  CAF_CHECK_EQUAL(out.status(), "expired");
}

CAF_TEST(members see a masked key) {
  api::v1::License out;
  to_proto(sample(), key_visibility::masked, base_time(), out);
  CAF_CHECK_EQUAL(out.key(), "LH-ABCDE-*****-*****-*****");
  CAF_CHECK_EQUAL(mask_license_key("LH-ABCDE-FGHJK-LMNPQ-RSTUV"), "LH-ABCDE-*****-*****-*****");
  CAF_CHECK_EQUAL(mask_license_key("short"), "short");
  CAF_CHECK_EQUAL(mask_license_key(""), "");
}

CAF_TEST(times print as rfc 3339 utc in whole seconds) {
  CAF_CHECK_EQUAL(to_rfc3339(base_time() + 999ms), "2026-11-21T10:00:00Z");
}
