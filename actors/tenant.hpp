#pragma once

#include "actors/atoms.hpp"
#include "actors/store.hpp"
#include "actors/tenant_api.hpp"

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace leasehold {

/// Settings of tenant actors; the directory hands the same to every tenant it starts.
struct tenant_options {
  /// How long a tenant waits for the store to load its snapshot (records wait for the store's
  /// answer, however long it takes: a record given up on could still commit).
  caf::timespan store_timeout = std::chrono::seconds{10};
  /// Upper bound for `acquire_request::wait_seconds` (the API allows 0..60).
  uint32_t max_wait_seconds = 60;
  /// How long heartbeat times gather before they go to the store as one batch. The database's
  /// `last_heartbeat_at` is informational (live sessions get a fresh TTL on recovery anyway), so
  /// a session's time is written at most once per this delay.
  caf::timespan heartbeat_flush_delay = std::chrono::seconds{5};
  /// Passivation: a supervised tenant with nothing in hand (no session, waiter or unfinished
  /// record) that got no request for this long, checked every `idle_timeout` (so after one to
  /// two of them), asks its directory to stop it; its next request starts it again from the
  /// record. Zero: never.
  caf::timespan idle_timeout = std::chrono::minutes{10};
};

/// One tenant's seat ledgers, sessions, session timers and wait queues; every seat change of
/// the tenant passes here. Besides `tenant_api` it handles its own timers and a probe:
///
/// - `expire` (session id, generation): the session's timer; it ends the session if the
///   deadline passed, re-arms for the rest if heartbeats moved it, and is ignored if a newer
///   timer (generation) replaced it.
/// - `flushrec`: write the heartbeat times gathered since the last flush.
/// - `waittmo` (waiter id): a parked acquire waited `wait_seconds` without a seat.
/// - `stats`: the number of messages waiting in the mailbox (send it with high priority) and
///   of acquires parked in wait queues.
/// - `idlecheck`: the passivation timer; an idle tenant sends `idle` to its supervisor.
/// - `passivate`: stop if still idle (answers true, then ends normally) or if the load failed
///   (ends with the load's error); answers false and stays otherwise.
using tenant_actor =
  tenant_api::extend<caf::reacts_to<expire_atom, std::string, uint64_t>,
                     caf::reacts_to<wait_timeout_atom, uint64_t>, caf::reacts_to<flush_atom>,
                     caf::replies_to<stats_atom>::with<uint64_t, uint64_t>,
                     caf::reacts_to<idle_check_atom>, caf::replies_to<passivate_atom>::with<bool>>;

/// What a tenant's supervisor hears from it: `idle` (see `tenant_options::idle_timeout`).
using tenant_supervisor_actor = caf::typed_actor<caf::reacts_to<idle_atom>>;

/// Starts the tenant `tenant_id`: it loads its snapshot from `store` before it handles any
/// other message, and stops with the load's error if that fails (after answering the requests
/// that arrived meanwhile with that error).
tenant_actor spawn_tenant(caf::actor_system& sys, std::string tenant_id, store_actor store,
                          tenant_options opts);

/// Like the other overload, but as a child of `parent` that monitors it (a supervisor, which
/// also gets the tenant's `idle` notices and decides on passivation).
tenant_actor spawn_tenant(caf::local_actor* parent, std::string tenant_id, store_actor store,
                          tenant_options opts);

} // namespace leasehold
