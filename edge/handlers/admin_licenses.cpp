#include "edge/crypto/license_key.hpp"
#include "edge/crypto/random.hpp"
#include "edge/handlers/account_handlers.hpp"
#include "edge/handlers/license_input.hpp"
#include "edge/handlers/license_json.hpp"
#include "edge/response.hpp"
#include "edge/validation.hpp"
#include "persistence/accounts.hpp"

#include "leasehold/api/v1/licenses.pb.h"

#include <algorithm>
#include <vector>

namespace leasehold::edge::accounts {

namespace {

void reply_license(const context_ptr& ctx, http::status status, const license_view& view) {
  api::v1::License out;
  // Operators see keys in full: they hand them to customers.
  to_proto(view, key_visibility::full, caf::make_timestamp(), out);
  reply_json(ctx, status, out);
}

caf::optional<std::string> path_uuid(const context_ptr& ctx) {
  auto i = ctx->path_params.find("id");
  if (i == ctx->path_params.end()) {
    return caf::none;
  }
  return normalize_uuid(i->second);
}

// Sends `patch` once the license's current terms show that the result is consistent
// (heartbeat_interval < session_ttl also when only one of them changes).
void patch_checked(services& svc, const context_ptr& ctx, license_patch patch) {
  auto tenant_id = patch.tenant_id;
  svc.bridge.ask<std::vector<license_view>>(
    ctx, svc.tenants,
    [&svc, ctx, patch](std::vector<license_view>& views) {
      auto i = std::find_if(views.begin(), views.end(),
                            [&](const license_view& x) { return x.terms.id == patch.license_id; });
      if (i == views.end()) {
        reply_error(ctx, errc::not_found, "no such license");
        return;
      }
      if (is_empty(patch)) {
        reply_license(ctx, http::status::ok, *i);
        return;
      }
      auto merged = i->terms;
      apply(patch, merged);
      if (auto err = check_timing(merged)) {
        reply_error(ctx, err);
        return;
      }
      svc.bridge.ask<license_view>(
        ctx, svc.tenants, [ctx](license_view& view) { reply_license(ctx, http::status::ok, view); },
        reply_error_to(ctx), patch_license_atom_v, patch);
    },
    reply_error_to(ctx), list_licenses_atom_v, tenant_id);
}

} // namespace

void handle_admin_create_license(services& svc, const context_ptr& ctx) {
  auto tenant_id = path_uuid(ctx);
  if (!tenant_id) {
    reply_error(ctx, errc::not_found, "no such tenant");
    return;
  }
  api::v1::CreateLicenseRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  auto terms = terms_from_request(req, *tenant_id, caf::make_timestamp());
  if (!terms) {
    reply_error(ctx, terms.error());
    return;
  }
  terms->id = crypto::new_uuid();
  terms->key = crypto::new_license_key();
  // The tenant must exist in the record before its directory is asked to take a license.
  svc.bridge.ask<persistence::tenant_info>(
    ctx, svc.accounts,
    [&svc, ctx, terms = std::move(*terms)](persistence::tenant_info&) {
      svc.bridge.ask<license_view>(
        ctx, svc.tenants,
        [ctx](license_view& view) { reply_license(ctx, http::status::created, view); },
        reply_error_to(ctx), add_license_atom_v, terms);
    },
    reply_error_to(ctx), persistence::find_tenant_atom_v, *tenant_id);
}

void handle_admin_patch_license(services& svc, const context_ptr& ctx) {
  auto license_id = path_uuid(ctx);
  if (!license_id) {
    reply_error(ctx, errc::not_found, "no such license");
    return;
  }
  api::v1::PatchLicenseRequest req;
  if (!parse_body(ctx, req)) {
    return;
  }
  auto patch = patch_from_request(req);
  if (!patch) {
    reply_error(ctx, patch.error());
    return;
  }
  patch->license_id = *license_id;
  svc.bridge.ask<std::string>(
    ctx, svc.accounts,
    [&svc, ctx, patch = std::move(*patch)](std::string& tenant_id) mutable {
      patch.tenant_id = tenant_id;
      patch_checked(svc, ctx, std::move(patch));
    },
    reply_error_to(ctx), persistence::license_owner_atom_v, *license_id);
}

} // namespace leasehold::edge::accounts
