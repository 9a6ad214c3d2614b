#pragma once

#include "actors/errc.hpp"
#include "actors/record.hpp"
#include "persistence/pg.hpp"

#include <caf/expected.hpp>

#include <vector>

namespace leasehold::persistence {

/// A named SQL statement that writers prepare once per connection.
struct prepared_sql {
  const char* name;
  const char* sql;
};

/// Every statement `statements_for` uses.
const std::vector<prepared_sql>& record_statements();

/// One execution of a prepared statement.
struct bound_statement {
  const char* name = nullptr;
  std::vector<pg_param> params;
  /// If set, a statement that touches no row makes the record fail with `no_row`.
  bool must_affect_row = false;
  errc no_row = errc::not_found;
};

/// The statements that apply `rec`, in order:
/// - acquire: INSERT sessions, audit 'acquire';
/// - renew: UPDATE the live session's expiry and client fields, audit 'acquire' with
///   `{"renewed":"true"}` (session_not_found if it ended);
/// - release/expire/revoke: end the live session and audit it, once (a retry changes nothing);
/// - deny: audit only; heartbeat: move the live session's heartbeat and expiry forward;
/// - license_create: INSERT licenses, audit 'provision';
/// - license_update: UPDATE licenses and audit 'license_update' (not_found if there is none).
/// `errc::bad_request` if a field the kind needs is missing.
caf::expected<std::vector<bound_statement>> statements_for(const record& rec);

} // namespace leasehold::persistence
