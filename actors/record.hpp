#pragma once

#include "actors/license.hpp"
#include "actors/session.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/optional.hpp>
#include <caf/timestamp.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace leasehold {

/// What a state change did. Every kind but `heartbeat` becomes an audit event.
enum class record_kind : uint8_t {
  acquire = 1,    // a new session took a seat
  renew,          // re-acquire by the same user and hardware id: same session, new expiry
  release,        // the client gave the seat back
  expire,         // no heartbeat within session_ttl
  revoke,         // an owner/admin force-released the session
  deny,           // an acquire was refused (no seat, license state)
  license_create, // an operator or billing provisioned a license
  license_update, // an operator or billing changed a license
  heartbeat,      // the session's last_heartbeat_at moved (written lazily)
};

const char* to_string(record_kind x);

/// True for kinds that end a session (release, expire, revoke).
inline bool ends_session(record_kind x) {
  return x == record_kind::release || x == record_kind::expire || x == record_kind::revoke;
}

/// One state change of one tenant, as its tenant actor hands it to persistence.
struct record {
  record_kind kind = record_kind::acquire;
  std::string tenant_id;
  uint64_t epoch = 0; // the tenant's ownership epoch; a stale epoch must not commit
  caf::timestamp at;
  std::string license_id;
  std::string session_id;
  std::string user_id;
  std::string hardware_id;
  caf::optional<session_record> session;     // acquire, renew, heartbeat: the session as it is now
  caf::optional<license_terms> license;      // license_create, license_update: the new terms
  std::map<std::string, std::string> detail; // the audit event's `detail` object
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, record& x) {
  return f(caf::meta::type_name("record"), x.kind, x.tenant_id, x.epoch, x.at, x.license_id,
           x.session_id, x.user_id, x.hardware_id, x.session, x.license, x.detail);
}

} // namespace leasehold
