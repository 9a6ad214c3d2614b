#pragma once

#include "actors/atoms.hpp"
#include "actors/store.hpp"
#include "actors/supervision_stats.hpp"
#include "actors/tenant.hpp"
#include "actors/tenant_api.hpp"

#include <caf/fwd.hpp>
#include <caf/typed_actor.hpp>

namespace leasehold {

/// Finds, starts and supervises the tenant actors of this node. Each `tenant_api` message is
/// delegated to the actor of the tenant it names (`caller::tenant_id`, the tenant id of
/// `list_licenses`, `license_terms::tenant_id`, `license_patch::tenant_id`), which answers the
/// requester directly. Tenants start on first use; one that fails is counted and restarted
/// from the record. An idle tenant's `idle` notice passivates it: its requests are held while
/// it is asked to stop, then go to its successor (or to it, if it got busy meanwhile), so no
/// two actors of one tenant ever run. `stats` reports the supervision figures (kind "tenant").
/// An exit message stops every tenant, then the directory.
using tenant_directory_actor =
  tenant_api::extend<caf::replies_to<stats_atom>::with<supervision_stats>,
                     caf::reacts_to<idle_atom>>;

/// Starts a directory whose tenants load from and commit to `store`.
tenant_directory_actor spawn_tenant_directory(caf::actor_system& sys, store_actor store,
                                              tenant_options opts);

} // namespace leasehold
