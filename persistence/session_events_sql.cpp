#include "persistence/session_events_sql.hpp"

#include <initializer_list>

namespace leasehold::persistence {

namespace {

// "unnest($n::t1[], $n+1::t2[], ...)", numbering on from `next`.
std::string unnest(size_t& next, std::initializer_list<const char*> types) {
  std::string out = "unnest(";
  for (auto* type : types) {
    if (out.back() != '(') {
      out += ", ";
    }
    out += "$" + std::to_string(next++) + "::" + type + "[]";
  }
  return out + ")";
}

// A live session is found by its key; each appears at most once among renews, ends and
// heartbeats (a row updated twice by one statement would keep only one of the changes).
// "Live" is tested on end_reason, set together with ended_at: `ended_at IS NULL` would let the
// planner use the live-session index, whose row estimate on a table that just grew (no fresh
// statistics) can be off a hundredfold, and it then hashes every live session for each batch.
// Without it the key lookup is the one way in.
constexpr const char* live_session_match =
  " WHERE s.tenant_id = r.tenant_id AND s.id = r.id AND s.end_reason IS NULL";

std::string make_sql(session_events_shape shape) {
  size_t next = 1;
  std::string audits, renews, ends, beats;
  if (shape.audits) {
    audits = unnest(next, {"integer", "boolean", "uuid", "uuid", "text", "uuid", "uuid", "text",
                           "timestamptz", "jsonb"});
  }
  if (shape.renews) {
    renews = unnest(
      next, {"integer", "uuid", "uuid", "timestamptz", "timestamptz", "text", "text", "text"});
  }
  if (shape.ends) {
    ends = unnest(next, {"integer", "uuid", "uuid", "timestamptz", "text"});
  }
  if (shape.beats) {
    beats = unnest(next, {"uuid", "uuid", "timestamptz", "timestamptz"});
  }
  std::string sql = "WITH ";
  auto add_cte = [&sql](const std::string& cte) { sql += (sql.size() > 5 ? ", " : "") + cte; };
  if (shape.renews) {
    add_cte("renewed AS (UPDATE sessions s SET last_heartbeat_at = r.heartbeat_at, "
            "expires_at = r.expires_at, hostname = r.hostname, os = r.os, version = r.version "
            "FROM " +
            renews + " AS r(position, tenant_id, id, heartbeat_at, expires_at, hostname, os, " +
            "version)" + live_session_match + " RETURNING r.position)");
  }
  if (shape.ends) {
    add_cte("ended AS (UPDATE sessions s SET ended_at = r.at, end_reason = r.reason FROM " + ends +
            " AS r(position, tenant_id, id, at, reason)" + live_session_match +
            " RETURNING r.position, s.license_id, s.user_id, s.hardware_id)");
  }
  if (shape.beats) {
    add_cte("beaten AS (UPDATE sessions s SET "
            "last_heartbeat_at = GREATEST(s.last_heartbeat_at, r.heartbeat_at), "
            "expires_at = GREATEST(s.expires_at, r.expires_at) FROM " +
            beats + " AS r(tenant_id, id, heartbeat_at, expires_at)" + live_session_match + ")");
  }
  if (shape.audits) {
    // In record order: the ids are the audit log's order. A renew or end that found no live
    // session is not audited; an end's row takes the ids it leaves empty from the session.
    auto from_end = [&shape](const char* column) {
      return shape.ends ? std::string{"COALESCE(a."} + column + ", e." + column + ")"
                        : std::string{"a."} + column;
    };
    add_cte("audited AS (INSERT INTO audit_log (tenant_id, license_id, action, session_id, "
            "user_id, hardware_id, at, detail) SELECT a.tenant_id, " +
            from_end("license_id") + ", a.action, a.session_id, " + from_end("user_id") + ", " +
            from_end("hardware_id") + ", a.at, a.detail FROM " + audits +
            " AS a(position, conditional, tenant_id, license_id, action, session_id, user_id, "
            "hardware_id, at, detail)" +
            (shape.renews ? " LEFT JOIN renewed n ON n.position = a.position" : "") +
            (shape.ends ? " LEFT JOIN ended e ON e.position = a.position" : "") +
            " WHERE NOT a.conditional" + (shape.renews ? " OR n.position IS NOT NULL" : "") +
            (shape.ends ? " OR e.position IS NOT NULL" : "") + " ORDER BY a.position)");
  }
  return sql + (shape.renews ? " SELECT position FROM renewed" : " SELECT 0 WHERE false");
}

std::string make_name(session_events_shape shape) {
  std::string name = "lh_events_";
  name += shape.audits ? "a" : "";
  name += shape.renews ? "r" : "";
  name += shape.ends ? "e" : "";
  name += shape.beats ? "b" : "";
  return name;
}

size_t index_of(session_events_shape shape) {
  return (shape.audits ? 8u : 0u) + (shape.renews ? 4u : 0u) + (shape.ends ? 2u : 0u) +
         (shape.beats ? 1u : 0u);
}

bool is_valid(session_events_shape shape) {
  return (shape.audits || shape.beats) && (shape.audits || (!shape.renews && !shape.ends));
}

// Indexed by index_of; invalid shapes hold an empty entry.
const std::vector<session_events_sql>& by_index() {
  static const std::vector<session_events_sql> table = [] {
    std::vector<session_events_sql> result(16);
    for (size_t i = 0; i < result.size(); ++i) {
      session_events_shape shape{(i & 8) != 0, (i & 4) != 0, (i & 2) != 0, (i & 1) != 0};
      if (is_valid(shape)) {
        result[i] = {make_name(shape), make_sql(shape)};
      }
    }
    return result;
  }();
  return table;
}

} // namespace

const session_events_sql& session_events_statement(session_events_shape shape) {
  return by_index()[index_of(shape)];
}

const std::vector<session_events_sql>& all_session_events_statements() {
  static const std::vector<session_events_sql> valid = [] {
    std::vector<session_events_sql> result;
    for (auto& x : by_index()) {
      if (!x.name.empty()) {
        result.push_back(x);
      }
    }
    return result;
  }();
  return valid;
}

} // namespace leasehold::persistence
