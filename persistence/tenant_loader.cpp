#include "persistence/tenant_loader.hpp"

#include "actors/errc.hpp"
#include "persistence/json_object.hpp"
#include "persistence/record_sql.hpp"

namespace leasehold::persistence {

namespace {

constexpr const char* tenant_sql = "SELECT 1 FROM tenants WHERE id = $1";

constexpr const char* epoch_sql = "SELECT epoch FROM tenant_owner WHERE tenant_id = $1";

constexpr const char* licenses_sql =
  "SELECT id, key, product, tier, status, seats_total, overdraft_seats, expires_at, "
  "features::text, heartbeat_interval, session_ttl, offline_grace, max_devices, created_at "
  "FROM licenses WHERE tenant_id = $1 ORDER BY created_at, id";

constexpr const char* sessions_sql =
  "SELECT id, license_id, user_id, user_email, hardware_id, hostname, os, version, "
  "acquired_at, last_heartbeat_at, expires_at "
  "FROM sessions WHERE tenant_id = $1 AND ended_at IS NULL ORDER BY acquired_at, id";

uint32_t to_u32(int64_t x) { return x < 0 ? 0u : static_cast<uint32_t>(x); }

caf::timestamp timestamp_or_epoch(const pg_result& res, int row, int col) {
  auto x = res.timestamp(row, col);
  return x ? *x : caf::timestamp{};
}

caf::expected<license_terms> license_from(const pg_result& res, int row,
                                          const std::string& tenant_id) {
  license_terms x;
  x.id = res.text(row, 0);
  x.tenant_id = tenant_id;
  x.key = res.text(row, 1);
  x.product = res.text(row, 2);
  if (!from_string(res.text(row, 3), x.tier) || !from_string(res.text(row, 4), x.status)) {
    return make_error(errc::internal, "license " + x.id + " has an unknown tier or status");
  }
  x.seats_total = to_u32(res.int64(row, 5));
  x.overdraft_seats = to_u32(res.int64(row, 6));
  x.expires_at = res.timestamp(row, 7);
  auto features = parse_json_flags(res.text(row, 8));
  if (!features) {
    return std::move(features.error());
  }
  x.features = std::move(*features);
  x.heartbeat_interval = to_u32(res.int64(row, 9));
  x.session_ttl = to_u32(res.int64(row, 10));
  x.offline_grace = to_u32(res.int64(row, 11));
  x.max_devices = to_u32(res.int64(row, 12));
  x.created_at = timestamp_or_epoch(res, row, 13);
  return x;
}

session_record session_from(const pg_result& res, int row, const std::string& tenant_id) {
  session_record x;
  x.id = res.text(row, 0);
  x.tenant_id = tenant_id;
  x.license_id = res.text(row, 1);
  x.user_id = res.text(row, 2);
  x.user_email = res.text(row, 3);
  x.hardware_id = res.text(row, 4);
  x.hostname = res.text(row, 5);
  x.os = res.text(row, 6);
  x.version = res.text(row, 7);
  x.acquired_at = timestamp_or_epoch(res, row, 8);
  x.last_heartbeat_at = timestamp_or_epoch(res, row, 9);
  x.expires_at = timestamp_or_epoch(res, row, 10);
  return x;
}

caf::expected<tenant_snapshot> read_snapshot(pg_connection& conn, const std::string& tenant_id) {
  auto tenant = conn.exec(tenant_sql, tenant_id);
  if (!tenant) {
    return std::move(tenant.error());
  }
  if (tenant->rows() == 0) {
    return make_error(errc::not_found, "no tenant " + tenant_id);
  }
  tenant_snapshot snapshot;
  snapshot.tenant_id = tenant_id;
  auto epoch = conn.exec(epoch_sql, tenant_id);
  if (!epoch) {
    return std::move(epoch.error());
  }
  if (epoch->rows() > 0) {
    snapshot.epoch = static_cast<uint64_t>(epoch->int64(0, 0));
  }
  auto licenses = conn.exec(licenses_sql, tenant_id);
  if (!licenses) {
    return std::move(licenses.error());
  }
  for (int row = 0; row < licenses->rows(); ++row) {
    auto terms = license_from(*licenses, row, tenant_id);
    if (!terms) {
      return std::move(terms.error());
    }
    snapshot.licenses.push_back(std::move(*terms));
  }
  auto sessions = conn.exec(sessions_sql, tenant_id);
  if (!sessions) {
    return std::move(sessions.error());
  }
  for (int row = 0; row < sessions->rows(); ++row) {
    snapshot.sessions.push_back(session_from(*sessions, row, tenant_id));
  }
  return snapshot;
}

} // namespace

caf::expected<tenant_snapshot> load_tenant(pg_connection& conn, const std::string& tenant_id) {
  if (!is_uuid(tenant_id)) {
    return make_error(errc::not_found, "no tenant " + tenant_id);
  }
  // One snapshot: licenses and sessions as of the same moment.
  if (auto err = conn.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) {
    return err;
  }
  auto result = read_snapshot(conn, tenant_id);
  auto end = conn.exec_script(result ? "COMMIT" : "ROLLBACK");
  if (result && end) {
    return end;
  }
  return result;
}

} // namespace leasehold::persistence
