#pragma once

#include "edge/router.hpp"
#include "edge/services.hpp"

namespace leasehold::edge {

/// Registers the seat endpoints of API.md on `r`: acquire, heartbeat, release, the session
/// list and force-release, and the license audit log. `svc` must outlive `r`.
void add_seat_routes(router& r, services& svc);

} // namespace leasehold::edge
