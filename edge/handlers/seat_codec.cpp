#include "edge/handlers/seat_handlers.hpp"

#include "leasehold/api/v1/seats.pb.h"
#include <google/protobuf/timestamp.pb.h>

#include <cctype>

namespace leasehold::edge::seats {

std::string to_lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

void to_proto(caf::timestamp t, google::protobuf::Timestamp& out) {
  // Whole seconds: the API's times look like `2026-11-21T10:00:00Z`, and a lease token's
  // `exp` (whole seconds) must equal `offline_valid_until`.
  auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch());
  out.set_seconds(secs.count());
  out.set_nanos(0);
}

void to_proto(const lease& l, std::string lease_token, api::v1::LeaseResponse& out) {
  out.set_license_id(l.license_id);
  out.set_session_id(l.session_id);
  out.set_seats_used(l.seats_used);
  out.set_seats_total(l.seats_total);
  to_proto(l.expires_at, *out.mutable_expires_at());
  out.set_heartbeat_interval(l.heartbeat_interval);
  out.set_session_ttl(l.session_ttl);
  out.set_lease_token(std::move(lease_token));
  to_proto(l.issued_at + std::chrono::seconds{l.offline_grace}, *out.mutable_offline_valid_until());
}

void to_proto(const session_record& x, api::v1::Session& out) {
  out.set_id(x.id);
  out.set_license_id(x.license_id);
  out.set_user_id(x.user_id);
  out.set_user_email(x.user_email);
  out.set_hardware_id(x.hardware_id);
  out.set_hostname(x.hostname);
  out.set_os(x.os);
  out.set_version(x.version);
  to_proto(x.acquired_at, *out.mutable_acquired_at());
  to_proto(x.last_heartbeat_at, *out.mutable_last_heartbeat_at());
  to_proto(x.expires_at, *out.mutable_expires_at());
}

} // namespace leasehold::edge::seats
