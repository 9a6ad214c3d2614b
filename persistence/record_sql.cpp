#include "persistence/record_sql.hpp"

#include "persistence/json_object.hpp"

namespace leasehold::persistence {

namespace {

// Parameters shared by every audit row: $1 tenant, $2 license, $3 action, $4 session,
// $5 user, $6 hardware id, $7 at, $8 detail. Columns of type uuid get NULL for "".

// The session and its audit event in one statement (one executor start instead of two).
// $9 session id, $10 license, $11 user, $12 user email, $13 hardware id, $14 hostname,
// $15 os, $16 version, $17 acquired, $18 last heartbeat, $19 expiry.
constexpr const char* start_session_sql =
  "WITH started AS (INSERT INTO sessions (tenant_id, id, license_id, user_id, user_email, "
  "hardware_id, hostname, os, version, acquired_at, last_heartbeat_at, expires_at) "
  "VALUES ($1::uuid, $9::uuid, $10::uuid, $11::uuid, $12::text, $13::text, $14::text, "
  "$15::text, $16::text, $17::timestamptz, $18::timestamptz, $19::timestamptz) RETURNING 1) "
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) SELECT $1::uuid, $2::uuid, $3::text, $4::uuid, $5::uuid, $6::text, $7::timestamptz, "
  "$8::jsonb FROM started";

constexpr const char* insert_audit_sql =
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)";

// $9 last heartbeat, $10 expiry, $11 hostname, $12 os, $13 version.
constexpr const char* renew_session_sql =
  "WITH renewed AS (UPDATE sessions SET last_heartbeat_at = $9::timestamptz, "
  "expires_at = $10::timestamptz, hostname = $11::text, os = $12::text, version = $13::text "
  "WHERE tenant_id = $1::uuid AND id = $4::uuid AND ended_at IS NULL RETURNING 1) "
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) SELECT $1::uuid, $2::uuid, $3::text, $4::uuid, $5::uuid, $6::text, $7::timestamptz, "
  "$8::jsonb FROM renewed";

// Only a session that was still live gets ended and audited: retrying an end changes nothing.
constexpr const char* end_session_sql =
  "WITH ended AS (UPDATE sessions SET ended_at = $7::timestamptz, end_reason = $3::text "
  "WHERE tenant_id = $1::uuid AND id = $4::uuid AND ended_at IS NULL "
  "RETURNING license_id, user_id, hardware_id) "
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) SELECT $1::uuid, COALESCE($2::uuid, ended.license_id), $3::text, $4::uuid, "
  "COALESCE($5::uuid, ended.user_id), COALESCE($6::text, ended.hardware_id), $7::timestamptz, "
  "$8::jsonb FROM ended";

// Heartbeats are written lazily and may overtake a renew: times only move forward.
constexpr const char* heartbeat_sql =
  "UPDATE sessions SET last_heartbeat_at = GREATEST(last_heartbeat_at, $3::timestamptz), "
  "expires_at = GREATEST(expires_at, $4::timestamptz) "
  "WHERE tenant_id = $1::uuid AND id = $2::uuid AND ended_at IS NULL";

constexpr const char* insert_license_sql =
  "INSERT INTO licenses (tenant_id, id, key, product, tier, status, seats_total, "
  "overdraft_seats, expires_at, features, heartbeat_interval, session_ttl, offline_grace, "
  "max_devices, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)";

// $9 key, $10 product, $11 tier, $12 status, $13 seats_total, $14 overdraft_seats,
// $15 expires_at, $16 features, $17 heartbeat_interval, $18 session_ttl, $19 offline_grace,
// $20 max_devices.
constexpr const char* update_license_sql =
  "WITH updated AS (UPDATE licenses SET key = $9::text, product = $10::text, tier = $11::text, "
  "status = $12::text, seats_total = $13::integer, overdraft_seats = $14::integer, "
  "expires_at = $15::timestamptz, features = $16::jsonb, heartbeat_interval = $17::integer, "
  "session_ttl = $18::integer, offline_grace = $19::integer, max_devices = $20::integer, "
  "updated_at = now() WHERE tenant_id = $1::uuid AND id = $2::uuid RETURNING 1) "
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) SELECT $1::uuid, $2::uuid, $3::text, $4::uuid, $5::uuid, $6::text, $7::timestamptz, "
  "$8::jsonb FROM updated";

pg_param uuid_or_null(const std::string& x) {
  if (x.empty()) {
    return caf::none;
  }
  return x;
}

pg_param text_or_null(const std::string& x) { return uuid_or_null(x); }

// One audit row's parameters: the record's tenant, kind and time with the given subject.
std::vector<pg_param> audit_row(const record& rec, const std::string& license_id,
                                const std::string& session_id, const std::string& user_id,
                                const std::string& hardware_id,
                                const std::map<std::string, std::string>& detail) {
  return {rec.tenant_id,
          uuid_or_null(license_id),
          std::string{to_string(rec.kind)},
          uuid_or_null(session_id),
          uuid_or_null(user_id),
          text_or_null(hardware_id),
          to_pg_timestamp(rec.at),
          to_json_object(detail)};
}

std::vector<pg_param> audit_params(const record& rec, const std::string& license_id,
                                   const std::map<std::string, std::string>& detail) {
  return audit_row(rec, license_id, rec.session_id, rec.user_id, rec.hardware_id, detail);
}

const std::string& or_else(const std::string& x, const std::string& fallback) {
  return x.empty() ? fallback : x;
}

/// The audit parameters of a record about session `s`: the session's ids where the record
/// leaves them empty.
std::vector<pg_param> session_audit_params(const record& rec, const session_record& s,
                                           const std::map<std::string, std::string>& detail) {
  return audit_row(rec, or_else(rec.license_id, s.license_id), s.id,
                   or_else(rec.user_id, s.user_id), or_else(rec.hardware_id, s.hardware_id),
                   detail);
}

caf::error missing(const record& rec, const char* what) {
  return make_error(errc::bad_request,
                    std::string{"a "} + to_string(rec.kind) + " record needs " + what);
}

void add_license_params(std::vector<pg_param>& params, const license_terms& terms) {
  params.push_back(terms.key);
  params.push_back(terms.product);
  params.push_back(std::string{to_string(terms.tier)});
  params.push_back(std::string{to_string(terms.status)});
  params.push_back(to_pg_param(terms.seats_total));
  params.push_back(to_pg_param(terms.overdraft_seats));
  params.push_back(to_pg_param(terms.expires_at));
  params.push_back(to_json_object(terms.features));
  params.push_back(to_pg_param(terms.heartbeat_interval));
  params.push_back(to_pg_param(terms.session_ttl));
  params.push_back(to_pg_param(terms.offline_grace));
  params.push_back(to_pg_param(terms.max_devices));
}

caf::expected<std::vector<bound_statement>> license_statements(const record& rec) {
  if (!rec.license) {
    return missing(rec, "the license terms");
  }
  auto& terms = *rec.license;
  if (terms.status == license_status::expired) {
    return make_error(errc::bad_request, "the status expired is derived, never stored");
  }
  auto license_id = rec.license_id.empty() ? terms.id : rec.license_id;
  std::vector<bound_statement> result;
  if (rec.kind == record_kind::license_create) {
    std::vector<pg_param> params{rec.tenant_id, license_id};
    add_license_params(params, terms);
    // The terms' time unless the caller left it unset (the epoch): then the record's.
    params.push_back(to_pg_timestamp(
      terms.created_at.time_since_epoch().count() != 0 ? terms.created_at : rec.at));
    result.push_back({"lh_insert_license", std::move(params)});
    result.push_back({"lh_insert_audit", audit_params(rec, license_id, rec.detail)});
    return result;
  }
  auto params = audit_params(rec, license_id, rec.detail);
  add_license_params(params, terms);
  result.push_back({"lh_update_license", std::move(params), true, errc::not_found});
  return result;
}

} // namespace

const std::vector<prepared_sql>& record_statements() {
  static const std::vector<prepared_sql> statements = {
    {"lh_start_session", start_session_sql},   {"lh_insert_audit", insert_audit_sql},
    {"lh_renew_session", renew_session_sql},   {"lh_end_session", end_session_sql},
    {"lh_heartbeat", heartbeat_sql},           {"lh_insert_license", insert_license_sql},
    {"lh_update_license", update_license_sql},
  };
  return statements;
}

caf::expected<std::vector<bound_statement>> statements_for(const record& rec) {
  if (!is_uuid(rec.tenant_id)) {
    return make_error(errc::bad_request, "a record needs a tenant id (a UUID)");
  }
  std::vector<bound_statement> result;
  switch (rec.kind) {
  case record_kind::acquire: {
    if (!rec.session) {
      return missing(rec, "the session");
    }
    auto& s = *rec.session;
    auto params = session_audit_params(rec, s, rec.detail);
    for (auto* x : {&s.id, &s.license_id, &s.user_id, &s.user_email, &s.hardware_id, &s.hostname,
                    &s.os, &s.version}) {
      params.push_back(*x);
    }
    params.push_back(to_pg_timestamp(s.acquired_at));
    params.push_back(to_pg_timestamp(s.last_heartbeat_at));
    params.push_back(to_pg_timestamp(s.expires_at));
    result.push_back({"lh_start_session", std::move(params)});
    return result;
  }
  case record_kind::renew: {
    if (!rec.session) {
      return missing(rec, "the session");
    }
    auto& s = *rec.session;
    auto detail = rec.detail;
    detail.emplace("renewed", "true");
    auto params = session_audit_params(rec, s, detail);
    params.push_back(to_pg_timestamp(s.last_heartbeat_at));
    params.push_back(to_pg_timestamp(s.expires_at));
    params.push_back(s.hostname);
    params.push_back(s.os);
    params.push_back(s.version);
    result.push_back({"lh_renew_session", std::move(params), true, errc::session_not_found});
    return result;
  }
  case record_kind::release:
  case record_kind::expire:
  case record_kind::revoke:
    if (!is_uuid(rec.session_id)) {
      return missing(rec, "a session id");
    }
    result.push_back({"lh_end_session", audit_params(rec, rec.license_id, rec.detail)});
    return result;
  case record_kind::deny:
    result.push_back({"lh_insert_audit", audit_params(rec, rec.license_id, rec.detail)});
    return result;
  case record_kind::heartbeat: {
    auto id = rec.session ? rec.session->id : rec.session_id;
    if (!is_uuid(id)) {
      return missing(rec, "a session id");
    }
    auto heartbeat_at = rec.session ? rec.session->last_heartbeat_at : rec.at;
    auto expires_at = rec.session ? rec.session->expires_at : rec.at;
    result.push_back(
      {"lh_heartbeat",
       {rec.tenant_id, id, to_pg_timestamp(heartbeat_at), to_pg_timestamp(expires_at)}});
    return result;
  }
  case record_kind::license_create:
  case record_kind::license_update:
    return license_statements(rec);
  }
  return make_error(errc::bad_request, "unknown record kind");
}

} // namespace leasehold::persistence
