#include "persistence/record_sql.hpp"

#include "persistence/json_object.hpp"
#include "persistence/pg_array.hpp"
#include "persistence/session_events_sql.hpp"

#include <array>
#include <set>
#include <string_view>
#include <utility>

namespace leasehold::persistence {

namespace {

// New sessions in bulk: one row per element of the arrays.
// A session whose license is not its tenant's gets no license id, which NOT NULL refuses: the
// batch fails and its records are retried one by one, so the bad one fails alone (see the
// V002 migration, which dropped the foreign key this replaces).
constexpr const char* start_sessions_sql =
  "INSERT INTO sessions (tenant_id, id, license_id, user_id, user_email, hardware_id, hostname, "
  "os, version, acquired_at, last_heartbeat_at, expires_at) "
  "SELECT r.tenant_id, r.id, l.id, r.user_id, r.user_email, r.hardware_id, r.hostname, r.os, "
  "r.version, r.acquired_at, r.last_heartbeat_at, r.expires_at "
  "FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], "
  "$7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], "
  "$12::timestamptz[]) AS r(tenant_id, id, license_id, user_id, user_email, hardware_id, "
  "hostname, os, version, acquired_at, last_heartbeat_at, expires_at) "
  "LEFT JOIN licenses l ON l.tenant_id = r.tenant_id AND l.id = r.license_id";

// Parameters shared by the license statements' audit rows: $1 tenant, $2 license, $3 action,
// $4 session, $5 user, $6 hardware id, $7 at, $8 detail. Columns of type uuid get NULL for "".
constexpr const char* insert_audit_sql =
  "INSERT INTO audit_log (tenant_id, license_id, action, session_id, user_id, hardware_id, at, "
  "detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)";

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

const std::string& or_else(const std::string& x, const std::string& fallback) {
  return x.empty() ? fallback : x;
}

/// The parameters of a license statement's audit row.
std::vector<pg_param> audit_params(const record& rec, const std::string& license_id) {
  return {rec.tenant_id,
          uuid_or_null(license_id),
          std::string{to_string(rec.kind)},
          uuid_or_null(rec.session_id),
          uuid_or_null(rec.user_id),
          text_or_null(rec.hardware_id),
          to_pg_timestamp(rec.at),
          to_json_object(rec.detail)};
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

void add_license_statements(size_t position, const record& rec, std::vector<bound_statement>& out) {
  auto& terms = *rec.license;
  auto license_id = rec.license_id.empty() ? terms.id : rec.license_id;
  if (rec.kind == record_kind::license_create) {
    std::vector<pg_param> params{rec.tenant_id, license_id};
    add_license_params(params, terms);
    // The terms' time unless the caller left it unset (the epoch): then the record's.
    params.push_back(to_pg_timestamp(
      terms.created_at.time_since_epoch().count() != 0 ? terms.created_at : rec.at));
    out.push_back({"lh_insert_license", std::move(params), {}, false, errc::not_found, false});
    out.push_back(
      {"lh_insert_audit", audit_params(rec, license_id), {}, false, errc::not_found, false});
    return;
  }
  auto params = audit_params(rec, license_id);
  add_license_params(params, terms);
  out.push_back(
    {"lh_update_license", std::move(params), {position}, false, errc::not_found, false});
}

// -- session records in bulk ----------------------------------------------------------------

/// One row of a bulk statement: a value per column.
template <size_t N> using bulk_row = std::array<pg_value, N>;

/// The rows of a bulk statement, gathered column by column into binary array parameters.
template <size_t N> class bulk_rows {
public:
  explicit bulk_rows(const std::array<pg_type, N>& types)
      : columns_(make_columns(types, std::make_index_sequence<N>{})) {
    // nop
  }

  void add(const bulk_row<N>& row) {
    for (size_t i = 0; i < N; ++i) {
      columns_[i].add(row[i]);
    }
  }

  bool empty() const { return columns_[0].size() == 0; }

  /// Appends one array parameter per column to `params`, none without rows (the statement
  /// for the batch's shape leaves the group out); no rows are left.
  void take_into(std::vector<pg_param>& params) {
    if (empty()) {
      return;
    }
    for (auto& column : columns_) {
      params.emplace_back(column.take());
    }
  }

private:
  template <size_t... Is>
  static std::array<pg_array, N> make_columns(const std::array<pg_type, N>& types,
                                              std::index_sequence<Is...>) {
    return {pg_array{types[Is]}...};
  }

  std::array<pg_array, N> columns_;
};

constexpr auto boolean = pg_type::boolean;
constexpr auto int4 = pg_type::int4;
constexpr auto jsonb = pg_type::jsonb;
constexpr auto text = pg_type::text;
constexpr auto timestamptz = pg_type::timestamptz;
constexpr auto uuid = pg_type::uuid;

// Columns of lh_start_sessions.
using session_row = bulk_row<12>;
constexpr std::array<pg_type, 12> session_types{
  uuid, uuid, uuid, uuid, text, text, text, text, text, timestamptz, timestamptz, timestamptz};

// The parameter groups of lh_session_events, in the statement's order.
using audit_row = bulk_row<10>; // position, conditional, then the audit log's columns
constexpr std::array<pg_type, 10> audit_types{int4, boolean, uuid, uuid,        text,
                                              uuid, uuid,    text, timestamptz, jsonb};
using renew_row = bulk_row<8>; // position, tenant, session, heartbeat, expiry, client
constexpr std::array<pg_type, 8> renew_types{int4,        uuid, uuid, timestamptz,
                                             timestamptz, text, text, text};
using end_row = bulk_row<5>; // position, tenant, session, at, reason
constexpr std::array<pg_type, 5> end_types{int4, uuid, uuid, timestamptz, text};
using beat_row = bulk_row<4>; // tenant, session, heartbeat, expiry
constexpr std::array<pg_type, 4> beat_types{uuid, uuid, timestamptz, timestamptz};

// A NULL for "" (ids a record may leave open).
pg_value or_null(const std::string& x) {
  if (x.empty()) {
    return {};
  }
  return std::string_view{x};
}

session_row new_session_row(const record& rec) {
  auto& s = *rec.session;
  return {std::string_view{rec.tenant_id},
          std::string_view{s.id},
          std::string_view{s.license_id},
          std::string_view{s.user_id},
          std::string_view{s.user_email},
          std::string_view{s.hardware_id},
          std::string_view{s.hostname},
          std::string_view{s.os},
          std::string_view{s.version},
          s.acquired_at,
          s.last_heartbeat_at,
          s.expires_at};
}

/// A record's audit row. A record about a known session (acquire, renew) takes the session's
/// ids where it leaves them empty; an end leaves that to the statement. Renews and ends are
/// written only if they found their live session.
audit_row make_audit_row(int64_t position, const record& rec) {
  static const session_record no_session;
  auto& s = rec.session ? *rec.session : no_session;
  std::string detail;
  if (rec.kind == record_kind::renew) {
    auto with_renewed = rec.detail;
    with_renewed.emplace("renewed", "true");
    detail = to_json_object(with_renewed);
  } else {
    detail = to_json_object(rec.detail);
  }
  return {position,
          rec.kind == record_kind::renew || ends_session(rec.kind),
          std::string_view{rec.tenant_id},
          or_null(or_else(rec.license_id, s.license_id)),
          std::string_view{to_string(rec.kind)},
          or_null(or_else(rec.session_id, s.id)),
          or_null(or_else(rec.user_id, s.user_id)),
          or_null(or_else(rec.hardware_id, s.hardware_id)),
          rec.at,
          std::move(detail)};
}

renew_row make_renew_row(int64_t position, const record& rec) {
  auto& s = *rec.session;
  return {position,
          std::string_view{rec.tenant_id},
          std::string_view{s.id},
          s.last_heartbeat_at,
          s.expires_at,
          std::string_view{s.hostname},
          std::string_view{s.os},
          std::string_view{s.version}};
}

end_row make_end_row(int64_t position, const record& rec) {
  return {position, std::string_view{rec.tenant_id}, std::string_view{rec.session_id}, rec.at,
          std::string_view{to_string(rec.kind)}};
}

// The session a record is about: its own, else the one it names by id.
const std::string& session_of(const record& rec) {
  return rec.session ? rec.session->id : rec.session_id;
}

// A heartbeat noted by time alone moves both times to it.
beat_row make_beat_row(const record& rec) {
  std::string_view id{session_of(rec)};
  if (!rec.session) {
    return {std::string_view{rec.tenant_id}, id, rec.at, rec.at};
  }
  return {std::string_view{rec.tenant_id}, id, rec.session->last_heartbeat_at,
          rec.session->expires_at};
}

/// Gathers records into bulk groups and writes each group's statements when it closes.
class batch_builder {
public:
  explicit batch_builder(std::vector<bound_statement>& out) : out_(out) {
    // nop
  }

  void add(size_t position, const record& rec) {
    if (rec.kind == record_kind::license_create || rec.kind == record_kind::license_update) {
      close_group(); // license changes keep their place between session events
      add_license_statements(position, rec, out_);
      return;
    }
    if (rec.kind != record_kind::acquire && rec.kind != record_kind::deny &&
        !touched_.emplace(rec.tenant_id, session_of(rec)).second) {
      close_group();
      touched_.emplace(rec.tenant_id, session_of(rec));
    }
    auto at = static_cast<int64_t>(position);
    switch (rec.kind) {
    case record_kind::acquire:
      starts_.add(new_session_row(rec));
      break;
    case record_kind::renew:
      renews_.add(make_renew_row(at, rec));
      must_confirm_.push_back(position);
      break;
    case record_kind::heartbeat:
      beats_.add(make_beat_row(rec));
      return; // no audit row
    default:
      if (ends_session(rec.kind)) {
        ends_.add(make_end_row(at, rec));
      }
      break;
    }
    audits_.add(make_audit_row(at, rec));
  }

  void close_group() {
    if (!starts_.empty()) {
      std::vector<pg_param> params;
      starts_.take_into(params);
      out_.push_back({"lh_start_sessions", std::move(params), {}, false, errc::not_found, true});
    }
    session_events_shape shape{!audits_.empty(), !renews_.empty(), !ends_.empty(), !beats_.empty()};
    if (shape.audits || shape.beats) {
      std::vector<pg_param> params;
      audits_.take_into(params);
      renews_.take_into(params);
      ends_.take_into(params);
      beats_.take_into(params);
      out_.push_back({session_events_statement(shape).name.c_str(), std::move(params),
                      std::move(must_confirm_), true, errc::session_not_found, true});
    }
    must_confirm_.clear();
    touched_.clear();
  }

private:
  std::vector<bound_statement>& out_;
  bulk_rows<12> starts_{session_types};
  bulk_rows<10> audits_{audit_types};
  bulk_rows<8> renews_{renew_types};
  bulk_rows<5> ends_{end_types};
  bulk_rows<4> beats_{beat_types};
  std::vector<size_t> must_confirm_;                      // the renews
  std::set<std::pair<std::string, std::string>> touched_; // tenant, session
};

caf::error missing(const record& rec, const char* what) {
  return make_error(errc::bad_request,
                    std::string{"a "} + to_string(rec.kind) + " record needs " + what);
}

} // namespace

const std::vector<prepared_sql>& record_statements() {
  static const std::vector<prepared_sql> statements = [] {
    std::vector<prepared_sql> result{
      {"lh_start_sessions", start_sessions_sql},
      {"lh_insert_audit", insert_audit_sql},
      {"lh_insert_license", insert_license_sql},
      {"lh_update_license", update_license_sql},
    };
    for (auto& x : all_session_events_statements()) {
      result.push_back({x.name.c_str(), x.sql.c_str()});
    }
    return result;
  }();
  return statements;
}

caf::error prepare_writer(pg_connection& conn) {
  // Every statement of the writer reaches sessions by key: one index lookup per array row,
  // whatever the array's length or the table's size. The plan is pinned to that shape (no
  // sequential or bitmap scans, no hash or merge joins) and made once per statement: planning
  // each batch anew cost PostgreSQL about a fifth of its time under load, and a plan left to
  // the estimates hashed every session of a table that had just grown (the plan test guards
  // both).
  if (auto err = conn.exec_script("SET plan_cache_mode = force_generic_plan; "
                                  "SET enable_seqscan = off; SET enable_bitmapscan = off; "
                                  "SET enable_hashjoin = off; SET enable_mergejoin = off")) {
    return err;
  }
  for (auto& stmt : record_statements()) {
    if (auto err = conn.prepare(stmt.name, stmt.sql)) {
      return err;
    }
  }
  return caf::none;
}

caf::error check_record(const record& rec) {
  if (!is_uuid(rec.tenant_id)) {
    return make_error(errc::bad_request, "a record needs a tenant id (a UUID)");
  }
  switch (rec.kind) {
  case record_kind::acquire:
  case record_kind::renew:
    if (!rec.session || !is_uuid(rec.session->id)) {
      return missing(rec, "the session");
    }
    return caf::none;
  case record_kind::release:
  case record_kind::expire:
  case record_kind::revoke:
    return is_uuid(rec.session_id) ? caf::none : missing(rec, "a session id");
  case record_kind::heartbeat:
    return is_uuid(session_of(rec)) ? caf::none : missing(rec, "a session id");
  case record_kind::deny:
    return caf::none;
  case record_kind::license_create:
  case record_kind::license_update:
    if (!rec.license) {
      return missing(rec, "the license terms");
    }
    if (rec.license->status == license_status::expired) {
      return make_error(errc::bad_request, "the status expired is derived, never stored");
    }
    return caf::none;
  }
  return make_error(errc::bad_request, "unknown record kind");
}

std::vector<bound_statement> batch_statements(const std::vector<const record*>& records) {
  std::vector<bound_statement> result;
  batch_builder builder{result};
  for (size_t i = 0; i < records.size(); ++i) {
    builder.add(i, *records[i]);
  }
  builder.close_group();
  return result;
}

} // namespace leasehold::persistence
