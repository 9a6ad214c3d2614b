#include "actors/session.hpp"

#include <tuple>

namespace leasehold {

bool operator==(const session_record& x, const session_record& y) {
  auto tie = [](const session_record& s) {
    return std::tie(s.id, s.tenant_id, s.license_id, s.user_id, s.user_email, s.hardware_id,
                    s.hostname, s.os, s.version, s.acquired_at, s.last_heartbeat_at, s.expires_at);
  };
  return tie(x) == tie(y);
}

} // namespace leasehold
