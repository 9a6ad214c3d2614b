#pragma once

#include "actors/errc.hpp"
#include "actors/record.hpp"
#include "persistence/pg.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <vector>

namespace leasehold::persistence {

/// A named SQL statement that writers prepare once per connection.
struct prepared_sql {
  const char* name;
  const char* sql;
};

/// Every statement `batch_statements` uses.
const std::vector<prepared_sql>& record_statements();

/// Sets a writer's connection up for batches (see record_sql.cpp) and prepares every
/// statement `batch_statements` uses.
caf::error prepare_writer(pg_connection& conn);

/// One execution of a prepared statement within a batch.
struct bound_statement {
  const char* name = nullptr;
  std::vector<pg_param> params;
  /// Positions (in the batch) of the records this statement must confirm; each one it does not
  /// confirm fails with `no_row`. A statement of one record confirms it by touching a row, a
  /// statement of many by returning the record's position in its first column.
  std::vector<size_t> must_confirm;
  bool confirms_by_returning = false;
  errc no_row = errc::not_found;
  /// Parameters in binary format (the bulk statements' arrays, see pg_array) instead of text.
  bool binary = false;
};

/// `errc::bad_request` if `rec` lacks a field its kind needs (a tenant id, a session, ...).
caf::error check_record(const record& rec);

/// The statements that apply `records` (each passed `check_record`) in one transaction, in
/// their order. Session records go in bulk: the new sessions in one INSERT, then one statement
/// that renews, ends and moves heartbeats of sessions and writes every audit row in record order.
/// A session touched twice, or a license record, starts the next group. Per record:
/// - acquire: a new session, audit 'acquire';
/// - renew: the live session's expiry and client fields, audit 'acquire' with
///   `{"renewed":"true"}` (session_not_found if it ended);
/// - release/expire/revoke: end the live session and audit it, once (a retry changes nothing);
/// - deny: audit only; heartbeat: move the live session's heartbeat and expiry forward;
/// - license_create: INSERT licenses, audit 'provision';
/// - license_update: UPDATE licenses and audit 'license_update' (not_found if there is none).
std::vector<bound_statement> batch_statements(const std::vector<const record*>& records);

} // namespace leasehold::persistence
