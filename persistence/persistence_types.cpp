#include "persistence/persistence_types.hpp"

#include "persistence/audit_reader.hpp"
#include "persistence/record_store.hpp"

namespace leasehold::persistence {

void add_persistence_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<record_store_stats>("record_store_stats");
  cfg.add_message_type<audit_event>("audit_event");
  cfg.add_message_type<audit_query>("audit_query");
}

} // namespace leasehold::persistence
