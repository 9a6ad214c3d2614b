#include "actors/type_ids.hpp"

#include "actors/caller.hpp"
#include "actors/errc.hpp"
#include "actors/license.hpp"
#include "actors/record.hpp"
#include "actors/seat_messages.hpp"
#include "actors/session.hpp"
#include "actors/store.hpp"
#include "actors/supervision_stats.hpp"

#include <caf/deep_to_string.hpp>

namespace leasehold {

void add_domain_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<caller>("caller");
  cfg.add_message_type<license_terms>("license_terms");
  cfg.add_message_type<license_view>("license_view");
  cfg.add_message_type<license_patch>("license_patch");
  cfg.add_message_type<session_record>("session_record");
  cfg.add_message_type<acquire_request>("acquire_request");
  cfg.add_message_type<lease>("lease");
  cfg.add_message_type<heartbeat_ack>("heartbeat_ack");
  cfg.add_message_type<session_request>("session_request");
  cfg.add_message_type<record>("record");
  cfg.add_message_type<std::vector<record>>("std::vector<record>");
  cfg.add_message_type<tenant_snapshot>("tenant_snapshot");
  cfg.add_message_type<actor_kind_stats>("actor_kind_stats");
  cfg.add_message_type<supervision_stats>("supervision_stats");
  cfg.add_error_category(errc_category, [](uint8_t code, caf::atom_value, const caf::message& ctx) {
    return std::string{"leasehold_error("} + to_string(static_cast<errc>(code)) +
           (ctx.empty() ? "" : ", " + caf::deep_to_string(ctx)) + ")";
  });
}

} // namespace leasehold
