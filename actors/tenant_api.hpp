#pragma once

#include "actors/atoms.hpp"
#include "actors/caller.hpp"
#include "actors/license.hpp"
#include "actors/seat_messages.hpp"
#include "actors/session.hpp"

#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace leasehold {

/// The seat API of tenants, spoken by the directory (which routes by the tenant id inside each
/// message) and by each tenant actor alike. The edge holds only this handle: whether the
/// tenant lives here or on another node is the directory's business.
///
/// - `acquire`: a lease, or `no_seats_available`, `license_*`, `not_found`, `unavailable`.
/// - `heartbeat`: the new deadline, or `session_not_found`.
/// - `release` / `revoke`: `ok` once the end is recorded, or `session_not_found`
///   (`revoke` also `forbidden` for members and guests).
/// - `list_sessions`: live sessions the caller may see (managers: all; others: their own).
/// - `list_licenses` (tenant id): all licenses with live `seats_used`.
/// - `add_license` / `patch_license`: the committed license, applied to the live ledger.
using tenant_api = caf::typed_actor<
  caf::replies_to<acquire_atom, acquire_request>::with<lease>,
  caf::replies_to<heartbeat_atom, session_request>::with<heartbeat_ack>,
  caf::replies_to<release_atom, session_request>::with<caf::ok_atom>,
  caf::replies_to<revoke_atom, session_request>::with<caf::ok_atom>,
  caf::replies_to<list_sessions_atom, caller>::with<std::vector<session_record>>,
  caf::replies_to<list_licenses_atom, std::string>::with<std::vector<license_view>>,
  caf::replies_to<add_license_atom, license_terms>::with<license_view>,
  caf::replies_to<patch_license_atom, license_patch>::with<license_view>>;

} // namespace leasehold
