#pragma once

#include "edge/router.hpp"
#include "edge/services.hpp"

namespace leasehold::edge {

/// Registers the account routes of API.md on `r`: auth (register, login, refresh, logout, me,
/// JWKS), team (tenants/me and its users), operators' tenants and licenses, and the license
/// reads (GET /api/v1/licenses, /api/v1/licenses/{id}). `svc` must outlive `r`.
void add_account_routes(router& r, services& svc);

} // namespace leasehold::edge
