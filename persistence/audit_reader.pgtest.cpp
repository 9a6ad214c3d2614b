#define CAF_SUITE persistence.audit_reader

#include "persistence/audit_reader.hpp"

#include "actors/errc.hpp"
#include "actors/type_ids.hpp"
#include "persistence/persistence_types.hpp"
#include "persistence/test_database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/test/unit_test.hpp>

#include <memory>

using namespace leasehold;
using namespace leasehold::persistence;

namespace {

constexpr const char* tenant = "11111111-1111-4111-8111-111111111111";
constexpr const char* other_tenant = "22222222-2222-4222-8222-222222222222";
constexpr const char* license = "33333333-3333-4333-8333-333333333333";
constexpr const char* other_license = "44444444-4444-4444-8444-444444444444";
constexpr const char* session = "55555555-5555-4555-8555-555555555555";

struct fixture {
  test_database db;
  pg_test_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  audit_reader_actor reader;
  std::vector<int64_t> ids; // of the events of `license`, oldest first

  fixture() {
    auto conn = db.connect();
    for (auto* t : {tenant, other_tenant}) {
      CAF_REQUIRE(conn.exec("INSERT INTO tenants (id, name, slug) VALUES ($1::uuid, 'T', "
                            "$1::text)",
                            t));
    }
    auto add_license = [&](const char* t, const char* l) {
      CAF_REQUIRE(conn.exec("INSERT INTO licenses (tenant_id, id, key, tier, status, "
                            "seats_total, heartbeat_interval, session_ttl, offline_grace) "
                            "VALUES ($1, $2::uuid, $2::text, 'pro', 'active', 5, 30, 60, 0)",
                            t, l));
    };
    add_license(tenant, license);
    add_license(other_tenant, other_license);
    for (int i = 0; i < 5; ++i) {
      auto res = conn.exec("INSERT INTO audit_log (tenant_id, license_id, action, session_id, "
                           "user_id, hardware_id, at, detail) VALUES ($1, $2, 'acquire', $3, "
                           "NULL, 'hw-1', '2026-11-21T10:00:00Z'::timestamptz + $4 * "
                           "interval '1 second', jsonb_build_object('n', $4::int, 'q', "
                           "'say \"hi\"')) RETURNING id",
                           tenant, license, session, i);
      CAF_REQUIRE(res);
      ids.push_back(res->int64(0, 0));
    }
    CAF_REQUIRE(conn.exec("INSERT INTO audit_log (tenant_id, license_id, action, at) VALUES "
                          "($1, $2, 'provision', now())",
                          other_tenant, other_license));
    sys = std::make_unique<caf::actor_system>(cfg);
    reader = spawn_audit_reader(*sys, db.dsn());
  }

  ~fixture() {
    caf::anon_send_exit(reader, caf::exit_reason::user_shutdown);
    reader = nullptr;
    sys.reset();
  }

  caf::expected<std::vector<audit_event>> page(audit_query q) {
    caf::scoped_actor self{*sys};
    caf::expected<std::vector<audit_event>> result{std::vector<audit_event>{}};
    self->request(reader, caf::infinite, audit_page_atom::value, std::move(q))
      .receive([&](std::vector<audit_event>& xs) { result = std::move(xs); },
               [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

bool ping(caf::actor_system& sys, const audit_reader_actor& reader) {
  caf::scoped_actor self{sys};
  bool result = false;
  self->request(reader, caf::infinite, ping_atom::value)
    .receive([&](bool ok) { result = ok; }, [&](caf::error&) { result = false; });
  return result;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(audit_reader_tests, fixture)

CAF_TEST(a page lists the events of a license newest first) {
  auto events = page({tenant, license, 100, 0});
  CAF_REQUIRE(events);
  CAF_REQUIRE_EQUAL(events->size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    CAF_CHECK_EQUAL((*events)[i].id, ids[4 - i]);
  }
  auto& newest = events->front();
  CAF_CHECK_EQUAL(newest.action, "acquire");
  CAF_CHECK_EQUAL(newest.session_id, session);
  CAF_CHECK_EQUAL(newest.user_id, "");
  CAF_CHECK_EQUAL(newest.hardware_id, "hw-1");
  CAF_CHECK_EQUAL(newest.at, parse_pg_timestamp("2026-11-21 10:00:04+00"));
  CAF_CHECK_EQUAL(newest.detail_json, R"({"n": 4, "q": "say \"hi\""})");
}

CAF_TEST(before and limit page through the log) {
  auto first = page({tenant, license, 2, 0});
  CAF_REQUIRE(first);
  CAF_REQUIRE_EQUAL(first->size(), 2u);
  CAF_CHECK_EQUAL(first->back().id, ids[3]);
  auto second = page({tenant, license, 2, first->back().id});
  CAF_REQUIRE(second);
  CAF_REQUIRE_EQUAL(second->size(), 2u);
  CAF_CHECK_EQUAL(second->front().id, ids[2]);
  CAF_CHECK_EQUAL(second->back().id, ids[1]);
  auto last = page({tenant, license, 2, second->back().id});
  CAF_REQUIRE(last);
  CAF_REQUIRE_EQUAL(last->size(), 1u);
  CAF_CHECK_EQUAL(last->front().id, ids[0]);
  auto none = page({tenant, license, 2, ids[0]});
  CAF_REQUIRE(none);
  CAF_CHECK(none->empty());
}

CAF_TEST(the license of another tenant is not found) {
  auto foreign = page({tenant, other_license, 100, 0});
  CAF_REQUIRE(!foreign);
  CAF_CHECK(is_errc(foreign.error(), errc::not_found));
  auto unknown = page({tenant, "66666666-6666-4666-8666-666666666666", 100, 0});
  CAF_REQUIRE(!unknown);
  CAF_CHECK(is_errc(unknown.error(), errc::not_found));
  auto garbage = page({tenant, "lic-1", 100, 0});
  CAF_REQUIRE(!garbage);
  CAF_CHECK(is_errc(garbage.error(), errc::not_found));
}

CAF_TEST(a limit outside 1 to 1000 is a bad request) {
  CAF_CHECK(is_errc(page({tenant, license, 0, 0}).error(), errc::bad_request));
  CAF_CHECK(is_errc(page({tenant, license, 1001, 0}).error(), errc::bad_request));
  CAF_CHECK(page({tenant, license, 1000, 0}));
}

CAF_TEST(ping tells whether the database answers) {
  CAF_CHECK(ping(*sys, reader));
  auto lost = spawn_audit_reader(*sys, "host=/nonexistent/dir port=1 connect_timeout=1");
  CAF_CHECK(!ping(*sys, lost));
  caf::anon_send_exit(lost, caf::exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
