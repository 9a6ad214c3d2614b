// The session list and an administrator's force-release.

#include "actors/atoms.hpp"
#include "edge/handlers/seat_handlers.hpp"

#include "leasehold/api/v1/seats.pb.h"

#include <vector>

namespace leasehold::edge::seats {

void handle_list_sessions(services& svc, const context_ptr& ctx) {
  // The tenant filters: managers see the whole tenant, others their own sessions.
  svc.bridge.ask<std::vector<session_record>>(
    ctx, svc.tenants,
    [ctx](std::vector<session_record>& live) {
      api::v1::SessionList out;
      for (const auto& x : live) {
        to_proto(x, *out.add_sessions());
      }
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), list_sessions_atom_v, ctx->auth->who);
}

void handle_revoke_session(services& svc, const context_ptr& ctx) {
  const auto& who = ctx->auth->who;
  // Checked before looking the session up, so members learn nothing about session ids.
  if (!is_manager(who.user_role)) {
    return reply_error(ctx, errc::forbidden, "only owners and admins may revoke sessions");
  }
  const auto& id = ctx->path_params["id"];
  if (!is_uuid(id)) {
    return reply_error(ctx, errc::session_not_found, "session not found");
  }
  svc.bridge.ask<caf::ok_atom>(
    ctx, svc.tenants, [ctx](caf::ok_atom) { reply_no_content(ctx); }, reply_error_to(ctx),
    revoke_atom_v, session_request{who, to_lower(id)});
}

} // namespace leasehold::edge::seats
