#define CAF_SUITE persistence.record_sql_plans

#include "persistence/record_sql.hpp"
#include "persistence/session_events_sql.hpp"
#include "persistence/test_database.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>

using namespace leasehold;
using namespace leasehold::persistence;

namespace {

constexpr const char* tenant = "6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a01";
constexpr const char* license = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";

struct fixture {
  test_database db;
  pg_connection conn = db.connect();
  std::vector<std::string> live; // ids of live sessions

  // A tenant with `count` live sessions on one license, inserted in one statement.
  void fill(int count) {
    CAF_REQUIRE(
      conn.exec("INSERT INTO tenants (id, name, slug) VALUES ($1::uuid, 'T', $1::text)", tenant));
    CAF_REQUIRE(conn.exec("INSERT INTO licenses (tenant_id, id, key, tier, status, seats_total, "
                          "heartbeat_interval, session_ttl, offline_grace) VALUES ($1, $2::uuid, "
                          "$2::text, 'pro', 'active', 100000, 30, 60, 0)",
                          tenant, license));
    CAF_REQUIRE(conn.exec("INSERT INTO sessions (tenant_id, id, license_id, user_id, user_email, "
                          "hardware_id, acquired_at, last_heartbeat_at, expires_at) "
                          "SELECT $1, gen_random_uuid(), $2, gen_random_uuid(), 'u@example.com', "
                          "'hw-' || n, now(), now(), now() + interval '60 seconds' "
                          "FROM generate_series(1, $3::integer) AS n",
                          tenant, license, count));
    auto ids = conn.exec("SELECT id FROM sessions LIMIT 300");
    CAF_REQUIRE(ids);
    for (int row = 0; row < ids->rows(); ++row) {
      live.push_back(ids->text(row, 0));
    }
  }

  // A batch of 100 renews, 100 ends and 100 heartbeats of live sessions.
  std::vector<record> busy_batch() {
    std::vector<record> recs;
    auto now = caf::make_timestamp();
    for (size_t i = 0; i < live.size(); ++i) {
      record rec;
      rec.tenant_id = tenant;
      rec.at = now;
      rec.kind = i < 100   ? record_kind::renew
                 : i < 200 ? record_kind::release
                           : record_kind::heartbeat;
      if (rec.kind == record_kind::release) {
        rec.session_id = live[i];
      } else {
        session_record s;
        s.id = live[i];
        s.tenant_id = tenant;
        s.license_id = license;
        s.last_heartbeat_at = now;
        s.expires_at = now + std::chrono::seconds{60};
        rec.session = s;
      }
      recs.push_back(std::move(rec));
    }
    return recs;
  }

  // The writer's plan for the events statement of `recs`, as EXPLAIN prints it.
  std::string plan_of(const std::vector<record>& recs) {
    std::vector<const record*> ptrs;
    for (auto& rec : recs) {
      ptrs.push_back(&rec);
    }
    auto stmts = batch_statements(ptrs);
    CAF_REQUIRE_EQUAL(stmts.size(), 1u);
    auto& events = stmts.front();
    const std::string* sql = nullptr;
    for (auto& x : all_session_events_statements()) {
      if (x.name == events.name) {
        sql = &x.sql;
      }
    }
    CAF_REQUIRE(sql != nullptr);
    // Planned under the writer's settings (prepare_writer).
    CAF_REQUIRE_EQUAL(conn.prepare("explain_events", "EXPLAIN " + *sql), caf::none);
    auto res = conn.exec_prepared("explain_events", events.params, true);
    CAF_REQUIRE(res);
    std::string plan;
    for (int row = 0; row < res->rows(); ++row) {
      plan += res->text(row, 0) + "\n";
    }
    return plan;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(record_sql_plans, fixture)

CAF_TEST(a batch finds each session by its key however large the table) {
  fill(50000);
  CAF_REQUIRE_EQUAL(prepare_writer(conn), caf::none);
  auto batch = busy_batch();
  // Before statistics exist (a table that just grew) and after.
  for (auto analyzed : {false, true}) {
    if (analyzed) {
      CAF_REQUIRE(conn.exec("ANALYZE sessions"));
    }
    auto plan = plan_of(batch);
    CAF_MESSAGE("plan (analyzed: " << analyzed << "):\n" << plan);
    // No scan over many sessions (sequential, or a bitmap over every live one) ...
    CAF_CHECK(plan.find("Seq Scan on sessions") == std::string::npos);
    CAF_CHECK(plan.find("Bitmap Heap Scan on sessions") == std::string::npos);
    // ... but a lookup by the key of each renewed, ended and heartbeated session.
    size_t lookups = 0;
    for (auto pos = plan.find("Index Cond: ((tenant_id = r"); pos != std::string::npos;
         pos = plan.find("Index Cond: ((tenant_id = r", pos + 1)) {
      ++lookups;
    }
    CAF_CHECK_EQUAL(lookups, 3u);
  }
}

CAF_TEST_FIXTURE_SCOPE_END()
