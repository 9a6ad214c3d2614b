#include "persistence/persistence_types.hpp"

#include "persistence/record_store.hpp"

namespace leasehold::persistence {

void add_persistence_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<record_store_stats>("record_store_stats");
}

} // namespace leasehold::persistence
