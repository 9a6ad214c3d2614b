#include "edge/handlers/seat_routes.hpp"

#include "edge/handlers/seat_handlers.hpp"

namespace leasehold::edge {

void add_seat_routes(router& r, services& svc) {
  using http::verb;
  auto bind = [&svc](void (*fn)(services&, const context_ptr&)) -> handler {
    return [&svc, fn](const context_ptr& ctx) { fn(svc, ctx); };
  };
  r.add(verb::post, "/api/v1/licenses/acquire", access::bearer, bind(seats::handle_acquire));
  r.add(verb::post, "/api/v1/licenses/heartbeat", access::bearer, bind(seats::handle_heartbeat));
  r.add(verb::post, "/api/v1/licenses/release", access::bearer, bind(seats::handle_release));
  r.add(verb::get, "/api/v1/sessions", access::bearer, bind(seats::handle_list_sessions));
  r.add(verb::delete_, "/api/v1/sessions/{id}", access::bearer, bind(seats::handle_revoke_session));
  r.add(verb::get, "/api/v1/licenses/{id}/audit", access::bearer, bind(seats::handle_audit));
}

} // namespace leasehold::edge
