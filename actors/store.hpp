#pragma once

#include "actors/atoms.hpp"
#include "actors/license.hpp"
#include "actors/record.hpp"
#include "actors/session.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace leasehold {

/// What a tenant actor starts from: its licenses and its live sessions.
struct tenant_snapshot {
  std::string tenant_id;
  uint64_t epoch = 0;
  std::vector<license_terms> licenses;
  std::vector<session_record> sessions;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_snapshot& x) {
  return f(caf::meta::type_name("tenant_snapshot"), x.tenant_id, x.epoch, x.licenses, x.sessions);
}

/// The system of record as tenant actors see it; `persistence/` implements it on PostgreSQL.
///
/// - `load`: the tenant's snapshot; `errc::not_found` for an unknown tenant,
///   `errc::unavailable` when the database is unreachable.
/// - `commit`: replies once the record is committed. Records of one tenant commit in the
///   order they were sent. When the database is unreachable, records that start or change
///   something (acquire, renew, license_*) fail with `errc::unavailable`; records that end a
///   session are kept and retried, and acknowledged at once (losing one could only free a
///   seat late, never grant one twice).
/// - `note`: records written lazily in a later batch, no reply (heartbeat times, denials); all
///   of one tenant.
using store_actor = caf::typed_actor<caf::replies_to<load_atom, std::string>::with<tenant_snapshot>,
                                     caf::replies_to<commit_atom, record>::with<caf::ok_atom>,
                                     caf::reacts_to<note_atom, std::vector<record>>>;

} // namespace leasehold
