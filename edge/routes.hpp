#pragma once

#include "edge/handlers/operations.hpp"
#include "edge/router.hpp"
#include "edge/services.hpp"

namespace leasehold::edge {

/// Registers every route of the API on `r`: accounts (add_account_routes), seats
/// (add_seat_routes) and operations. `svc` and `ops.http` must outlive `r`.
void add_routes(router& r, services& svc, operations_sources ops);

} // namespace leasehold::edge
