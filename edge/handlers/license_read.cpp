#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/license_json.hpp"
#include "edge/response.hpp"
#include "edge/validation.hpp"

#include "leasehold/api/v1/licenses.pb.h"

#include <vector>

namespace leasehold::edge::accounts {

namespace {

key_visibility keys_for(const context_ptr& ctx) {
  return is_manager(ctx->auth->who.user_role) ? key_visibility::full : key_visibility::masked;
}

} // namespace

void handle_list_licenses(services& svc, const context_ptr& ctx) {
  svc.bridge.ask<std::vector<license_view>>(
    ctx, svc.tenants,
    [ctx](std::vector<license_view>& views) {
      auto now = caf::make_timestamp();
      auto keys = keys_for(ctx);
      api::v1::LicenseList out;
      for (const auto& view : views) {
        to_proto(view, keys, now, *out.add_licenses());
      }
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), list_licenses_atom_v, ctx->auth->who.tenant_id);
}

void handle_get_license(services& svc, const context_ptr& ctx) {
  auto i = ctx->path_params.find("id");
  auto id = i == ctx->path_params.end() ? caf::none : normalize_uuid(i->second);
  if (!id) {
    reply_error(ctx, errc::not_found, "no such license");
    return;
  }
  // Only the caller's tenant is asked: another tenant's license is simply not there (404).
  svc.bridge.ask<std::vector<license_view>>(
    ctx, svc.tenants,
    [ctx, id = *id](std::vector<license_view>& views) {
      for (const auto& view : views) {
        if (view.terms.id == id) {
          api::v1::License out;
          to_proto(view, keys_for(ctx), caf::make_timestamp(), out);
          reply_json(ctx, http::status::ok, out);
          return;
        }
      }
      reply_error(ctx, errc::not_found, "no such license");
    },
    reply_error_to(ctx), list_licenses_atom_v, ctx->auth->who.tenant_id);
}

} // namespace leasehold::edge::accounts
