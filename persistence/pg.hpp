#pragma once

#include "actors/uuid.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/optional.hpp>
#include <caf/timestamp.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace leasehold::persistence {

/// One query parameter in text format; none is SQL NULL.
using pg_param = caf::optional<std::string>;

/// ISO 8601 text in UTC with microseconds, as PostgreSQL reads it for `timestamptz`.
std::string to_pg_timestamp(caf::timestamp x);

// -- parameter conversion -------------------------------------------------------------------

inline pg_param to_pg_param(const std::string& x) { return x; }

inline pg_param to_pg_param(std::string_view x) { return std::string{x}; }

inline pg_param to_pg_param(const char* x) { return std::string{x}; }

inline pg_param to_pg_param(const pg_param& x) { return x; }

inline pg_param to_pg_param(std::nullptr_t) { return caf::none; }

inline pg_param to_pg_param(bool x) { return std::string{x ? "true" : "false"}; }

template <class T, class = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>>
pg_param to_pg_param(T x) {
  return std::to_string(x);
}

inline pg_param to_pg_param(caf::timestamp x) { return to_pg_timestamp(x); }

template <class T> pg_param to_pg_param(const caf::optional<T>& x) {
  if (!x) {
    return caf::none;
  }
  return to_pg_param(*x);
}

/// Parameters laid out as libpq's calls take them: pointers into `params` (valid while it lives
/// unchanged), lengths, and formats (all text, or all binary).
struct pg_param_layout {
  pg_param_layout(const std::vector<pg_param>& params, bool binary);

  int count() const { return static_cast<int>(values.size()); }

  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

// -- handles ------------------------------------------------------------------------------

/// Owns one `PGresult`; rows and columns count from 0, values are text.
class pg_result {
public:
  pg_result() = default;

  /// Takes ownership of `res` (may be null).
  explicit pg_result(PGresult* res);

  PGresult* get() const { return res_.get(); }

  explicit operator bool() const { return res_ != nullptr; }

  ExecStatusType status() const;

  int rows() const;

  int columns() const;

  bool is_null(int row, int col) const;

  /// The value as text ("" for NULL); valid while this result lives.
  std::string_view view(int row, int col) const;

  std::string text(int row, int col) const { return std::string{view(row, col)}; }

  /// The value as an integer; 0 for NULL or garbage.
  int64_t int64(int row, int col) const;

  /// A `timestamptz` value; requires the session time zone UTC (set by `connect`).
  caf::optional<caf::timestamp> timestamp(int row, int col) const;

  /// The five-character SQLSTATE of an error result, "" otherwise.
  std::string sqlstate() const;

private:
  struct deleter {
    void operator()(PGresult* res) const { PQclear(res); }
  };
  std::unique_ptr<PGresult, deleter> res_;
};

/// Owns one `PGconn`. Every call blocks: use it from `caf::detached` actors or start-up code.
class pg_connection {
public:
  pg_connection() = default;

  /// Connects and sets the session time zone to UTC. A server that cannot be reached is
  /// `errc::unavailable`. TCP connections get keepalives and a 30 s user timeout unless `dsn`
  /// sets them.
  static caf::expected<pg_connection> connect(const std::string& dsn);

  PGconn* get() const { return conn_.get(); }

  /// True while the connection is usable as far as libpq knows.
  bool is_ok() const;

  /// Runs one statement with `$n` parameters (text format). Errors are mapped by `pg_error`.
  caf::expected<pg_result> exec_params(const std::string& sql, const std::vector<pg_param>& params);

  /// Runs one statement; each argument becomes a `$n` parameter through `to_pg_param`.
  template <class... Ts> caf::expected<pg_result> exec(const std::string& sql, const Ts&... xs) {
    return exec_params(sql, std::vector<pg_param>{to_pg_param(xs)...});
  }

  /// Runs SQL that may hold several statements and no parameters (migrations, scripts).
  caf::error exec_script(const std::string& sql);

  /// Prepares `sql` under `name` unless this connection has prepared it already.
  caf::error prepare(const std::string& name, const std::string& sql);

  /// Runs the statement prepared under `name`; `binary` sends every parameter in binary format.
  caf::expected<pg_result> exec_prepared(const std::string& name,
                                         const std::vector<pg_param>& params, bool binary = false);

  /// Names prepared on this connection (they are gone after a reconnect).
  bool is_prepared(const std::string& name) const;

private:
  struct deleter {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  std::unique_ptr<PGconn, deleter> conn_;
  std::vector<std::string> prepared_;
};

/// Maps a failed call to an error: a lost or unreachable server (connection bad, SQLSTATE
/// class 08, 57P01..57P03) is `errc::unavailable`, a unique violation `errc::conflict`,
/// anything else `errc::internal`; the message is PostgreSQL's.
caf::error pg_error(PGconn* conn, const PGresult* res);

/// True if `sqlstate` (or the connection state) means the server went away.
bool is_connection_loss(PGconn* conn, const std::string& sqlstate);

/// `dsn` (keyword or URI form) with its database replaced by `dbname`, in keyword form.
caf::expected<std::string> dsn_with_database(const std::string& dsn, const std::string& dbname);

/// Parses PostgreSQL's `timestamptz` output in UTC (`2026-11-21 22:06:27.093+00`).
caf::optional<caf::timestamp> parse_pg_timestamp(std::string_view text);

/// Quotes `name` as an SQL identifier (`"a""b"`).
std::string quote_identifier(std::string_view name);

} // namespace leasehold::persistence
