#include "persistence/account_types.hpp"

namespace leasehold::persistence {

void add_account_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<user_info>("user_info");
  cfg.add_message_type<tenant_info>("tenant_info");
  cfg.add_message_type<account>("account");
  cfg.add_message_type<registration>("registration");
  cfg.add_message_type<new_user>("new_user");
  cfg.add_message_type<login_record>("login_record");
  cfg.add_message_type<revoked_token>("revoked_token");
}

} // namespace leasehold::persistence
