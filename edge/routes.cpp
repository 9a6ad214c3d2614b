#include "edge/routes.hpp"

#include "edge/handlers/account_routes.hpp"
#include "edge/handlers/seat_routes.hpp"

namespace leasehold::edge {

void add_routes(router& r, services& svc, operations_sources ops) {
  add_account_routes(r, svc);
  add_seat_routes(r, svc);
  add_operations_routes(r, svc, std::move(ops));
}

} // namespace leasehold::edge
