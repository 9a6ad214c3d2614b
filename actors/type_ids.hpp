#pragma once

#include <caf/actor_system_config.hpp>

namespace leasehold {

/// Registers every domain message type and the `errc` renderer. Every node calls this from
/// its config's constructor, so types have the same names everywhere.
void add_domain_types(caf::actor_system_config& cfg);

} // namespace leasehold
