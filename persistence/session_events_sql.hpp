#pragma once

#include <string>
#include <vector>

namespace leasehold::persistence {

/// Which parameter groups a session events statement takes (each a set of arrays, see
/// record_sql.cpp): audit rows, renews, ends, heartbeats.
struct session_events_shape {
  bool audits = false;
  bool renews = false; // needs audits: a renew is audited
  bool ends = false;   // needs audits: an end is audited
  bool beats = false;
};

/// A named session events statement.
struct session_events_sql {
  std::string name;
  std::string sql;
};

/// The statement for `shape`: only the parts the batch needs, so that planning and running it
/// does no work for empty groups. Parameters are the groups' arrays in the order audits,
/// renews, ends, heartbeats. It returns the positions of the renews that found their session.
const session_events_sql& session_events_statement(session_events_shape shape);

/// Every valid shape's statement, for writers to prepare.
const std::vector<session_events_sql>& all_session_events_statements();

} // namespace leasehold::persistence
