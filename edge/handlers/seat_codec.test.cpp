#define CAF_SUITE edge.seat_codec

#include "edge/handlers/seat_handlers.hpp"

#include <caf/test/unit_test.hpp>

#include "leasehold/api/v1/seats.pb.h"
#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <string>

using namespace leasehold;
using namespace leasehold::edge::seats;
using namespace std::chrono_literals;

namespace {

caf::timestamp at_unix(std::chrono::nanoseconds since_epoch) { return caf::timestamp{since_epoch}; }

} // namespace

CAF_TEST(canonical uuids in either case are recognized) {
  CAF_CHECK(is_uuid("6f1c7a3e-0b1d-4c2e-9f3a-123456789abc"));
  CAF_CHECK(is_uuid("6F1C7A3E-0B1D-4C2E-9F3A-123456789ABC"));
  CAF_CHECK_EQUAL(to_lower("6F1C7A3E-0B1D-4C2E-9F3A-123456789ABC"),
                  "6f1c7a3e-0b1d-4c2e-9f3a-123456789abc");
}

CAF_TEST(anything but the 8 - 4 - 4 - 4 - 12 hex form is not a uuid) {
  CAF_CHECK(!is_uuid(""));
  CAF_CHECK(!is_uuid("not-a-uuid"));
  CAF_CHECK(!is_uuid("6f1c7a3e0b1d4c2e9f3a123456789abc"));
  CAF_CHECK(!is_uuid("6f1c7a3e-0b1d-4c2e-9f3a-123456789ab"));
  CAF_CHECK(!is_uuid("6f1c7a3e-0b1d-4c2e-9f3a-123456789abcd"));
  CAF_CHECK(!is_uuid("6f1c7a3e-0b1d-4c2e-9f3a_123456789abc"));
  CAF_CHECK(!is_uuid("6f1c7a3g-0b1d-4c2e-9f3a-123456789abc"));
  CAF_CHECK(!is_uuid("{6f1c7a3e-0b1d-4c2e-9f3a-123456789ab}"));
}

CAF_TEST(timestamps are written in whole seconds) {
  google::protobuf::Timestamp out;
  to_proto(at_unix(1'700'000'000s + 999ms), out);
  CAF_CHECK_EQUAL(out.seconds(), 1'700'000'000);
  CAF_CHECK_EQUAL(out.nanos(), 0);
}

CAF_TEST(a lease response is valid offline for offline_grace after issue) {
  lease l;
  l.license_id = "lic";
  l.session_id = "sid";
  l.seats_used = 4;
  l.seats_total = 10;
  l.issued_at = at_unix(1'700'000'000s + 250ms);
  l.expires_at = at_unix(1'700'000'360s + 250ms);
  l.heartbeat_interval = 300;
  l.session_ttl = 360;
  l.offline_grace = 7200;
  api::v1::LeaseResponse out;
  to_proto(l, "token", out);
  CAF_CHECK_EQUAL(out.license_id(), "lic");
  CAF_CHECK_EQUAL(out.session_id(), "sid");
  CAF_CHECK_EQUAL(out.seats_used(), 4u);
  CAF_CHECK_EQUAL(out.seats_total(), 10u);
  CAF_CHECK_EQUAL(out.expires_at().seconds(), 1'700'000'360);
  CAF_CHECK_EQUAL(out.heartbeat_interval(), 300u);
  CAF_CHECK_EQUAL(out.session_ttl(), 360u);
  CAF_CHECK_EQUAL(out.lease_token(), "token");
  CAF_CHECK_EQUAL(out.offline_valid_until().seconds(), 1'700'007'200);
}

CAF_TEST(a session record keeps all its fields in the api session) {
  session_record x;
  x.id = "s";
  x.license_id = "l";
  x.user_id = "u";
  x.user_email = "u@example.com";
  x.hardware_id = "hw";
  x.hostname = "host";
  x.os = "linux";
  x.version = "1.0";
  x.acquired_at = at_unix(100s);
  x.last_heartbeat_at = at_unix(200s);
  x.expires_at = at_unix(560s);
  api::v1::Session out;
  to_proto(x, out);
  CAF_CHECK_EQUAL(out.id(), "s");
  CAF_CHECK_EQUAL(out.license_id(), "l");
  CAF_CHECK_EQUAL(out.user_id(), "u");
  CAF_CHECK_EQUAL(out.user_email(), "u@example.com");
  CAF_CHECK_EQUAL(out.hardware_id(), "hw");
  CAF_CHECK_EQUAL(out.hostname(), "host");
  CAF_CHECK_EQUAL(out.os(), "linux");
  CAF_CHECK_EQUAL(out.version(), "1.0");
  CAF_CHECK_EQUAL(out.acquired_at().seconds(), 100);
  CAF_CHECK_EQUAL(out.last_heartbeat_at().seconds(), 200);
  CAF_CHECK_EQUAL(out.expires_at().seconds(), 560);
}
