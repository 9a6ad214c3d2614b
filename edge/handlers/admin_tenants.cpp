#include "edge/crypto/random.hpp"
#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/account_json.hpp"
#include "edge/response.hpp"
#include "edge/validation.hpp"
#include "persistence/accounts.hpp"

#include "leasehold/api/v1/accounts.pb.h"

namespace leasehold::edge::accounts {

void handle_admin_create_tenant(services& svc, const context_ptr& ctx) {
  api::v1::CreateTenantRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  if (!is_valid_name(req.name())) {
    reply_error(ctx, errc::bad_request, "name is required (at most 200 bytes)");
    return;
  }
  if (!is_valid_slug(req.slug())) {
    reply_error(ctx, errc::bad_request,
                "slug must have 2 to 63 lower-case letters, digits or hyphens");
    return;
  }
  persistence::tenant_info tenant{crypto::new_uuid(), req.name(), req.slug(), "active"};
  svc.bridge.ask<persistence::tenant_info>(
    ctx, svc.accounts,
    [ctx](persistence::tenant_info& stored) {
      api::v1::Tenant out;
      to_proto(stored, out);
      reply_json(ctx, http::status::created, out);
    },
    reply_error_to(ctx), persistence::add_tenant_atom_v, tenant);
}

} // namespace leasehold::edge::accounts
