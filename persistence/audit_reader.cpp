#include "persistence/audit_reader.hpp"

#include "actors/errc.hpp"
#include "persistence/pg.hpp"
#include "persistence/record_sql.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace leasehold::persistence {

namespace {

constexpr uint32_t max_limit = 1000;

constexpr const char* license_sql = "SELECT 1 FROM licenses WHERE tenant_id = $1 AND id = $2";

// Two statements rather than `($3 = 0 OR id < $3)`: each keeps to the index on
// (tenant_id, license_id, id DESC).
constexpr const char* newest_sql =
  "SELECT id, action, session_id, user_id, hardware_id, at, detail::text FROM audit_log "
  "WHERE tenant_id = $1 AND license_id = $2 ORDER BY id DESC LIMIT $3";

constexpr const char* before_sql =
  "SELECT id, action, session_id, user_id, hardware_id, at, detail::text FROM audit_log "
  "WHERE tenant_id = $1 AND license_id = $2 AND id < $4 ORDER BY id DESC LIMIT $3";

struct reader_state {
  std::string dsn;
  std::unique_ptr<pg_connection> conn;
  static inline const char* name = "audit_reader";
};

using reader_ptr = audit_reader_actor::stateful_pointer<reader_state>;

// The connection, made (again) if there is none.
caf::expected<pg_connection*> connection(reader_ptr self) {
  auto& st = self->state;
  if (st.conn == nullptr || !st.conn->is_ok()) {
    st.conn.reset();
    auto conn = pg_connection::connect(st.dsn);
    if (!conn) {
      return std::move(conn.error());
    }
    st.conn = std::make_unique<pg_connection>(std::move(*conn));
  }
  return st.conn.get();
}

caf::expected<std::vector<audit_event>> read_page(pg_connection& conn, const audit_query& q) {
  auto license = conn.exec(license_sql, q.tenant_id, q.license_id);
  if (!license) {
    return std::move(license.error());
  }
  if (license->rows() == 0) {
    return make_error(errc::not_found, "no license " + q.license_id);
  }
  auto rows = q.before > 0 ? conn.exec(before_sql, q.tenant_id, q.license_id, q.limit, q.before)
                           : conn.exec(newest_sql, q.tenant_id, q.license_id, q.limit);
  if (!rows) {
    return std::move(rows.error());
  }
  std::vector<audit_event> page;
  page.reserve(static_cast<size_t>(rows->rows()));
  for (int row = 0; row < rows->rows(); ++row) {
    audit_event x;
    x.id = rows->int64(row, 0);
    x.action = rows->text(row, 1);
    x.session_id = rows->text(row, 2);
    x.user_id = rows->text(row, 3);
    x.hardware_id = rows->text(row, 4);
    if (auto at = rows->timestamp(row, 5)) {
      x.at = *at;
    }
    x.detail_json = rows->text(row, 6);
    page.push_back(std::move(x));
  }
  return page;
}

caf::result<std::vector<audit_event>> on_page(reader_ptr self, const audit_query& q) {
  if (q.limit < 1 || q.limit > max_limit) {
    return make_error(errc::bad_request, "limit must be between 1 and 1000");
  }
  if (q.before < 0) {
    return make_error(errc::bad_request, "before must be an event id");
  }
  // Ids that are no UUIDs name nothing: the same answer as an unknown license.
  if (!is_uuid(q.tenant_id) || !is_uuid(q.license_id)) {
    return make_error(errc::not_found, "no license " + q.license_id);
  }
  auto conn = connection(self);
  if (!conn) {
    return std::move(conn.error());
  }
  auto page = read_page(**conn, q);
  if (!page) {
    if (is_errc(page.error(), errc::unavailable)) {
      self->state.conn.reset();
    }
    return std::move(page.error());
  }
  return std::move(*page);
}

bool on_ping(reader_ptr self) {
  auto conn = connection(self);
  if (!conn) {
    return false;
  }
  if (!(*conn)->exec("SELECT 1")) {
    self->state.conn.reset();
    return false;
  }
  return true;
}

audit_reader_actor::behavior_type audit_reader(reader_ptr self, std::string dsn) {
  self->state.dsn = std::move(dsn);
  return {
    [=](audit_page_atom, const audit_query& q) { return on_page(self, q); },
    [=](ping_atom) { return on_ping(self); },
  };
}

} // namespace

audit_reader_actor spawn_audit_reader(caf::actor_system& sys, std::string dsn) {
  return sys.spawn<caf::detached>(audit_reader, std::move(dsn));
}

} // namespace leasehold::persistence
