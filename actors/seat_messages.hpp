#pragma once

#include "actors/caller.hpp"
#include "actors/license.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/timestamp.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace leasehold {

/// A client's request for a seat. An empty `license_id` means: the tenant's active license
/// for `product`, or its only active license.
struct acquire_request {
  caller who;
  std::string license_id;
  std::string product;
  std::string hardware_id;
  std::string hostname;
  std::string os;
  std::string version;
  uint32_t wait_seconds = 0; // 0..60: time to wait in the license's queue for a free seat
};

/// A granted seat; the edge turns it into the API's lease response and signs the lease token.
struct lease {
  std::string tenant_id;
  std::string license_id;
  std::string session_id;
  std::string user_id;
  std::string hardware_id;
  uint32_t seats_used = 0;
  uint32_t seats_total = 0;
  caf::timestamp issued_at;
  caf::timestamp expires_at;
  uint32_t heartbeat_interval = 0;
  uint32_t session_ttl = 0;
  uint32_t offline_grace = 0;
  license_tier tier = license_tier::free;
  std::map<std::string, bool> features;
};

/// A heartbeat's answer: the session's new deadline.
struct heartbeat_ack {
  caf::timestamp expires_at;
  uint32_t expires_in = 0; // seconds
};

/// A heartbeat, release or revoke of one session by `who`.
struct session_request {
  caller who;
  std::string session_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, acquire_request& x) {
  return f(caf::meta::type_name("acquire_request"), x.who, x.license_id, x.product, x.hardware_id,
           x.hostname, x.os, x.version, x.wait_seconds);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, lease& x) {
  return f(caf::meta::type_name("lease"), x.tenant_id, x.license_id, x.session_id, x.user_id,
           x.hardware_id, x.seats_used, x.seats_total, x.issued_at, x.expires_at,
           x.heartbeat_interval, x.session_ttl, x.offline_grace, x.tier, x.features);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, heartbeat_ack& x) {
  return f(caf::meta::type_name("heartbeat_ack"), x.expires_at, x.expires_in);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_request& x) {
  return f(caf::meta::type_name("session_request"), x.who, x.session_id);
}

} // namespace leasehold
