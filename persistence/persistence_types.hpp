#pragma once

#include <caf/actor_system_config.hpp>

namespace leasehold::persistence {

/// Registers the message types of persistence/ (record store counters, audit events and
/// queries). Call it next to `add_domain_types` in every node's config.
void add_persistence_types(caf::actor_system_config& cfg);

} // namespace leasehold::persistence
