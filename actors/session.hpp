#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/timestamp.hpp>

#include <cstdint>
#include <string>

namespace leasehold {

/// A live session: one seat of one license held by one user on one machine.
struct session_record {
  std::string id;
  std::string tenant_id;
  std::string license_id;
  std::string user_id;
  std::string user_email;
  std::string hardware_id;
  std::string hostname;
  std::string os;
  std::string version;
  caf::timestamp acquired_at;
  caf::timestamp last_heartbeat_at;
  caf::timestamp expires_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_record& x) {
  return f(caf::meta::type_name("session_record"), x.id, x.tenant_id, x.license_id, x.user_id,
           x.user_email, x.hardware_id, x.hostname, x.os, x.version, x.acquired_at,
           x.last_heartbeat_at, x.expires_at);
}

bool operator==(const session_record& x, const session_record& y);

} // namespace leasehold
