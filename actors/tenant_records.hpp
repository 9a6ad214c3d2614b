#pragma once

#include "actors/license.hpp"
#include "actors/record.hpp"
#include "actors/seat_messages.hpp"
#include "actors/session.hpp"

#include <caf/error.hpp>

#include <cstdint>
#include <string>

namespace leasehold {

/// Whose records a tenant actor writes: the tenant and the ownership epoch of its snapshot.
struct record_scope {
  std::string tenant_id;
  uint64_t epoch = 0;
};

/// A session's record of `kind`, stamped now. Acquire, renew and heartbeat records carry the
/// session as it is now; records that end a session carry only its ids.
record make_session_record(const record_scope& scope, record_kind kind, const session_record& s);

/// A `license_create` or `license_update` record carrying the new `terms`, stamped now.
record make_license_record(const record_scope& scope, record_kind kind, const license_terms& terms);

/// A `deny` record of `req` on `license_id`, its detail naming the refusal `reason`.
record make_deny_record(const record_scope& scope, const std::string& license_id,
                        const acquire_request& req, const caf::error& reason);

} // namespace leasehold
