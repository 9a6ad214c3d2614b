#include "persistence/migrations.hpp"

#include "actors/errc.hpp"

#include <algorithm>
#include <set>

namespace leasehold::persistence {

namespace {

// Any fixed number both nodes agree on: the key of the advisory lock around migrating.
constexpr const char* lock_sql = "SELECT pg_advisory_lock(7428125433912)";
constexpr const char* unlock_sql = "SELECT pg_advisory_unlock(7428125433912)";

constexpr const char* create_table_sql = R"(CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))";

constexpr const char* applied_sql = "SELECT version FROM schema_migrations";

constexpr const char* record_sql = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

// "V012__add_x.sql" -> 12; -1 if the name does not follow the pattern.
int version_of(const std::string& name) {
  if (name.size() < 2 || name[0] != 'V') {
    return -1;
  }
  auto sep = name.find("__");
  if (sep == std::string::npos || sep == 1) {
    return -1;
  }
  int version = 0;
  for (size_t i = 1; i < sep; ++i) {
    if (name[i] < '0' || name[i] > '9' || version > 100000) {
      return -1;
    }
    version = version * 10 + (name[i] - '0');
  }
  return version;
}

caf::error apply_one(pg_connection& conn, const migration& m) {
  if (auto err = conn.exec_script("BEGIN")) {
    return err;
  }
  auto err = conn.exec_script(m.sql);
  if (!err) {
    if (auto res = conn.exec(record_sql, m.version, m.name); !res) {
      err = std::move(res.error());
    }
  }
  if (!err) {
    err = conn.exec_script("COMMIT");
  }
  if (err) {
    conn.exec_script("ROLLBACK"); // may fail too when the connection is gone: nothing to undo
    return make_error(is_errc(err, errc::unavailable) ? errc::unavailable : errc::internal,
                      "migration " + m.name + " failed: " + error_message(err));
  }
  return caf::none;
}

caf::error apply_locked(pg_connection& conn, const std::vector<migration>& migrations) {
  if (auto err = conn.exec_script(create_table_sql)) {
    return err;
  }
  auto applied = conn.exec(applied_sql);
  if (!applied) {
    return std::move(applied.error());
  }
  std::set<int64_t> done;
  for (int row = 0; row < applied->rows(); ++row) {
    done.insert(applied->int64(row, 0));
  }
  for (auto& m : migrations) {
    if (done.count(m.version) == 0) {
      if (auto err = apply_one(conn, m)) {
        return err;
      }
    }
  }
  return caf::none;
}

} // namespace

caf::expected<std::vector<migration>> embedded_migrations() {
  std::vector<migration> result;
  for (auto& file : embedded_migration_files()) {
    migration m;
    m.name = file.name;
    m.version = version_of(m.name);
    if (m.version < 0) {
      return make_error(errc::internal, "migration without a version: " + m.name);
    }
    m.sql = file.contents;
    result.push_back(std::move(m));
  }
  std::sort(result.begin(), result.end(),
            [](const migration& x, const migration& y) { return x.version < y.version; });
  for (size_t i = 1; i < result.size(); ++i) {
    if (result[i].version == result[i - 1].version) {
      return make_error(errc::internal,
                        "two migrations with version " + std::to_string(result[i].version));
    }
  }
  return result;
}

caf::error apply_migrations(pg_connection& conn) {
  auto migrations = embedded_migrations();
  if (!migrations) {
    return std::move(migrations.error());
  }
  return apply_migrations(conn, *migrations);
}

caf::error apply_migrations(pg_connection& conn, const std::vector<migration>& migrations) {
  // A session-level lock: held across the per-migration transactions, released below or when
  // the connection closes.
  if (auto err = conn.exec_script(lock_sql)) {
    return err;
  }
  auto err = apply_locked(conn, migrations);
  conn.exec_script(unlock_sql);
  return err;
}

} // namespace leasehold::persistence
