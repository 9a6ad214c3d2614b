#include "persistence/pg.hpp"

#include "actors/errc.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace leasehold::persistence {

namespace {

std::string trimmed(const char* text) {
  std::string result = text != nullptr ? text : "";
  while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) {
    result.pop_back();
  }
  return result;
}

// Returns the parsed number and advances `pos`, or -1 if no digits of `width` are there.
int parse_digits(std::string_view text, size_t& pos, size_t width) {
  if (pos + width > text.size()) {
    return -1;
  }
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    auto c = text[pos + i];
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

} // namespace

// -- pg_result ------------------------------------------------------------------------------

pg_result::pg_result(PGresult* res) : res_(res) {
  // nop
}

ExecStatusType pg_result::status() const { return PQresultStatus(res_.get()); }

int pg_result::rows() const { return res_ ? PQntuples(res_.get()) : 0; }

int pg_result::columns() const { return res_ ? PQnfields(res_.get()) : 0; }

bool pg_result::is_null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }

std::string_view pg_result::view(int row, int col) const {
  auto len = PQgetlength(res_.get(), row, col);
  return {PQgetvalue(res_.get(), row, col), static_cast<size_t>(len)};
}

int64_t pg_result::int64(int row, int col) const {
  auto text = view(row, col);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

caf::optional<caf::timestamp> pg_result::timestamp(int row, int col) const {
  if (is_null(row, col)) {
    return caf::none;
  }
  return parse_pg_timestamp(view(row, col));
}

std::string pg_result::sqlstate() const {
  auto* state = PQresultErrorField(res_.get(), PG_DIAG_SQLSTATE);
  return state != nullptr ? state : "";
}

// -- pg_connection --------------------------------------------------------------------------

caf::expected<pg_connection> pg_connection::connect(const std::string& dsn) {
  // Over TCP a server that vanishes without a reset (a partition, a dead host) would leave a
  // blocking call waiting for the kernel's retransmissions, about a quarter of an hour: give
  // up after 30 s instead. Defaults only: they come before the DSN, whose own settings win.
  // (Ignored on Unix sockets.)
  static constexpr const char* keywords[] = {"keepalives",
                                             "keepalives_idle",
                                             "keepalives_interval",
                                             "keepalives_count",
                                             "tcp_user_timeout",
                                             "dbname",
                                             nullptr};
  const char* values[] = {"1", "10", "5", "3", "30000", dsn.c_str(), nullptr};
  pg_connection result;
  result.conn_.reset(PQconnectdbParams(keywords, values, 1));
  if (result.conn_ == nullptr) {
    return make_error(errc::unavailable, "out of memory for a database connection");
  }
  if (PQstatus(result.conn_.get()) != CONNECTION_OK) {
    return make_error(errc::unavailable, trimmed(PQerrorMessage(result.conn_.get())));
  }
  // Timestamps are exchanged as text: a fixed time zone makes their output parseable.
  // Notices ("relation ... already exists, skipping" on every start) would go to stderr
  // through libpq's default processor; warnings and errors still do.
  if (auto err = result.exec_script(
        "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'; SET client_min_messages = warning")) {
    return err;
  }
  return result;
}

bool pg_connection::is_ok() const {
  return conn_ != nullptr && PQstatus(conn_.get()) == CONNECTION_OK;
}

namespace {

caf::expected<pg_result> checked(PGconn* conn, PGresult* raw) {
  pg_result res{raw};
  auto status = res ? res.status() : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return res;
  }
  return pg_error(conn, res.get());
}

} // namespace

pg_param_layout::pg_param_layout(const std::vector<pg_param>& params, bool binary)
    : values(params.size()), lengths(params.size()), formats(params.size(), binary ? 1 : 0) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (auto& param = params[i]) {
      values[i] = param->data(); // text parameters are NUL-terminated: std::string is
      lengths[i] = static_cast<int>(param->size());
    }
  }
}

caf::expected<pg_result> pg_connection::exec_params(const std::string& sql,
                                                    const std::vector<pg_param>& params) {
  pg_param_layout layout{params, false};
  auto* raw = PQexecParams(conn_.get(), sql.c_str(), layout.count(), nullptr, layout.values.data(),
                           nullptr, nullptr, 0);
  return checked(conn_.get(), raw);
}

caf::error pg_connection::exec_script(const std::string& sql) {
  auto res = checked(conn_.get(), PQexec(conn_.get(), sql.c_str()));
  if (!res) {
    return std::move(res.error());
  }
  return caf::none;
}

caf::error pg_connection::prepare(const std::string& name, const std::string& sql) {
  if (is_prepared(name)) {
    return caf::none;
  }
  auto res = checked(conn_.get(), PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr));
  if (!res) {
    return std::move(res.error());
  }
  prepared_.push_back(name);
  return caf::none;
}

caf::expected<pg_result> pg_connection::exec_prepared(const std::string& name,
                                                      const std::vector<pg_param>& params,
                                                      bool binary) {
  pg_param_layout layout{params, binary};
  auto* raw = PQexecPrepared(conn_.get(), name.c_str(), layout.count(), layout.values.data(),
                             layout.lengths.data(), layout.formats.data(), 0);
  return checked(conn_.get(), raw);
}

bool pg_connection::is_prepared(const std::string& name) const {
  return std::find(prepared_.begin(), prepared_.end(), name) != prepared_.end();
}

// -- errors ---------------------------------------------------------------------------------

bool is_connection_loss(PGconn* conn, const std::string& sqlstate) {
  if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
    return true;
  }
  // 08: connection exception; 57P01..57P03: admin/crash shutdown, cannot connect now.
  return sqlstate.compare(0, 2, "08") == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

caf::error pg_error(PGconn* conn, const PGresult* res) {
  std::string state;
  std::string message;
  if (res != nullptr) {
    auto* field = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    state = field != nullptr ? field : "";
    message = trimmed(PQresultErrorMessage(res));
  }
  if (message.empty()) {
    message = trimmed(conn != nullptr ? PQerrorMessage(conn) : "no database connection");
  }
  if (is_connection_loss(conn, state)) {
    return make_error(errc::unavailable, "database unavailable: " + message);
  }
  if (state == "23505") {
    return make_error(errc::conflict, message);
  }
  return make_error(errc::internal, message);
}

// -- helpers --------------------------------------------------------------------------------

caf::expected<std::string> dsn_with_database(const std::string& dsn, const std::string& dbname) {
  char* err = nullptr;
  auto* options = PQconninfoParse(dsn.c_str(), &err);
  if (options == nullptr) {
    std::string message = err != nullptr ? trimmed(err) : "invalid connection string";
    PQfreemem(err);
    return make_error(errc::bad_request, message);
  }
  auto quote = [](const std::string& value) {
    std::string out = "'";
    for (auto c : value) {
      if (c == '\'' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    return out + "'";
  };
  std::string result;
  for (auto* opt = options; opt->keyword != nullptr; ++opt) {
    std::string keyword = opt->keyword;
    if (keyword == "dbname" || opt->val == nullptr) {
      continue;
    }
    result += keyword + '=' + quote(opt->val) + ' ';
  }
  PQconninfoFree(options);
  return result + "dbname=" + quote(dbname);
}

std::string to_pg_timestamp(caf::timestamp x) {
  using namespace std::chrono;
  auto micros = duration_cast<microseconds>(x.time_since_epoch()).count();
  auto secs = micros / 1000000;
  auto frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  auto tt = static_cast<time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(frac));
  return buf;
}

caf::optional<caf::timestamp> parse_pg_timestamp(std::string_view text) {
  // YYYY-MM-DD HH:MM:SS[.ffffff]+00 (DateStyle ISO, TimeZone UTC)
  size_t pos = 0;
  auto year = parse_digits(text, pos, 4);
  auto sep = [&](char c) { return pos < text.size() && text[pos++] == c; };
  if (year < 0 || !sep('-')) {
    return caf::none;
  }
  auto month = parse_digits(text, pos, 2);
  if (month < 1 || !sep('-')) {
    return caf::none;
  }
  auto day = parse_digits(text, pos, 2);
  if (day < 1 || pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) {
    return caf::none;
  }
  ++pos;
  auto hour = parse_digits(text, pos, 2);
  if (hour < 0 || !sep(':')) {
    return caf::none;
  }
  auto minute = parse_digits(text, pos, 2);
  if (minute < 0 || !sep(':')) {
    return caf::none;
  }
  auto second = parse_digits(text, pos, 2);
  if (second < 0) {
    return caf::none;
  }
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    for (; digits < 6; ++digits) {
      micros *= 10;
    }
  }
  auto rest = text.substr(pos);
  if (rest != "+00" && rest != "Z" && rest != "+00:00") {
    return caf::none;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  auto secs = timegm(&tm);
  using namespace std::chrono;
  return caf::timestamp{
    duration_cast<caf::timestamp::duration>(seconds{secs} + microseconds{micros})};
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (auto c : name) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

} // namespace leasehold::persistence
