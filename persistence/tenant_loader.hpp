#pragma once

#include "actors/store.hpp"
#include "persistence/pg.hpp"

#include <caf/expected.hpp>

#include <string>

namespace leasehold::persistence {

/// Reads what a tenant actor starts from in one consistent snapshot: the tenant's licenses,
/// its live sessions (not ended) and its ownership epoch (0 without a `tenant_owner` row).
/// `errc::not_found` if the tenant does not exist, `errc::unavailable` if the database is gone.
caf::expected<tenant_snapshot> load_tenant(pg_connection& conn, const std::string& tenant_id);

} // namespace leasehold::persistence
