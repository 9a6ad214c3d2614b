#pragma once

#include "persistence/record_store.hpp"

#include <caf/atom.hpp>

namespace leasehold::persistence {

/// A shard's timer messages to itself.
using note_timer_atom = caf::atom_constant<caf::atom("notetimer")>;
using reconnect_atom = caf::atom_constant<caf::atom("pgreconn")>;

/// One writer of the record store: a detached actor with its own connection that commits
/// queued records in batches (see record_shard.cpp).
using record_shard_actor =
  record_store_actor::extend<caf::reacts_to<flush_atom>, caf::reacts_to<note_timer_atom>,
                             caf::reacts_to<reconnect_atom>>;

/// Spawns a shard (detached, linked to `parent`).
record_shard_actor spawn_record_shard(caf::local_actor* parent, const std::string& dsn,
                                      const record_store_options& opts);

/// Spawns a shard on its own (detached): a store with one writer needs no router.
record_shard_actor spawn_record_shard(caf::actor_system& sys, const std::string& dsn,
                                      const record_store_options& opts);

} // namespace leasehold::persistence
