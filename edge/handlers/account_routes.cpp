#include "edge/handlers/account_routes.hpp"

#include "edge/handlers/account_handlers.hpp"

namespace leasehold::edge {

void add_account_routes(router& r, services& svc) {
  using http::verb;
  auto bind = [&svc](void (*fn)(services&, const context_ptr&)) -> handler {
    return [&svc, fn](const context_ptr& ctx) { fn(svc, ctx); };
  };
  r.add(verb::post, "/api/v1/auth/register", access::open, bind(accounts::handle_register));
  r.add(verb::post, "/api/v1/auth/login", access::open, bind(accounts::handle_login));
  r.add(verb::post, "/api/v1/auth/refresh", access::bearer, bind(accounts::handle_refresh));
  r.add(verb::post, "/api/v1/auth/logout", access::bearer, bind(accounts::handle_logout));
  r.add(verb::get, "/api/v1/auth/me", access::bearer, bind(accounts::handle_me));
  r.add(verb::get, "/.well-known/jwks.json", access::open, bind(accounts::handle_jwks));

  r.add(verb::get, "/api/v1/tenants/me", access::bearer, bind(accounts::handle_tenant_me));
  r.add(verb::get, "/api/v1/tenants/me/users", access::bearer, bind(accounts::handle_list_users));
  r.add(verb::post, "/api/v1/tenants/me/users", access::bearer, bind(accounts::handle_create_user));

  r.add(verb::post, "/api/v1/admin/tenants", access::operator_key,
        bind(accounts::handle_admin_create_tenant));
  r.add(verb::post, "/api/v1/admin/tenants/{id}/licenses", access::operator_key,
        bind(accounts::handle_admin_create_license));
  r.add(verb::patch, "/api/v1/admin/licenses/{id}", access::operator_key,
        bind(accounts::handle_admin_patch_license));

  r.add(verb::get, "/api/v1/licenses", access::bearer, bind(accounts::handle_list_licenses));
  r.add(verb::get, "/api/v1/licenses/{id}", access::bearer, bind(accounts::handle_get_license));
}

} // namespace leasehold::edge
