#define CAF_SUITE integration.seats_on_postgres

#include "actors/errc.hpp"
#include "actors/tenant_directory.hpp"
#include "actors/type_ids.hpp"
#include "persistence/persistence_types.hpp"
#include "persistence/record_store.hpp"
#include "persistence/test_database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <memory>

using namespace leasehold;
using namespace leasehold::persistence;
using namespace std::chrono_literals;

namespace {

constexpr const char* tenant = "7a1e0c52-3f4b-4d8e-9c21-5b6a7d8e9f01";
constexpr const char* license = "7a1e0c52-3f4b-4d8e-9c21-5b6a7d8e9f02";

// A node's seat path on a real database: tenant directory -> tenant actors -> record store.
struct fixture {
  test_database db;
  pg_test_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  store_actor store;
  tenant_directory_actor directory;

  fixture() {
    auto conn = db.connect();
    CAF_REQUIRE(
      conn.exec("INSERT INTO tenants (id, name, slug) VALUES ($1::uuid, 'Acme', 'acme')", tenant));
    sys = std::make_unique<caf::actor_system>(cfg);
    store = spawn_record_store(*sys, db.dsn());
    start_node();
  }

  ~fixture() {
    stop_node();
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    store = nullptr;
    sys.reset();
  }

  void start_node() { directory = spawn_tenant_directory(*sys, store, tenant_options{}); }

  // What a restart does to the node's memory: every tenant actor is gone.
  void stop_node() {
    caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
    directory = nullptr;
  }

  static caller user(const std::string& id) {
    return caller{tenant, id, id + "@example.com", role::owner};
  }

  caf::expected<lease> acquire(const std::string& user_id, const std::string& hw) {
    caf::scoped_actor self{*sys};
    acquire_request req;
    req.who = user("0c4d6e2a-1b3f-4a5c-8d7e-" + user_id);
    req.license_id = license;
    req.hardware_id = hw;
    caf::expected<lease> result{lease{}};
    self->request(directory, caf::infinite, acquire_atom_v, req)
      .receive([&](lease& x) { result = std::move(x); },
               [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  caf::error release(const lease& l) {
    caf::scoped_actor self{*sys};
    caf::error result;
    session_request req{caller{tenant, l.user_id, "user@example.com", role::owner}, l.session_id};
    self->request(directory, caf::infinite, release_atom_v, req)
      .receive([](caf::ok_atom) {}, [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  caf::error add_license(uint32_t seats) {
    caf::scoped_actor self{*sys};
    license_terms terms;
    terms.id = license;
    terms.tenant_id = tenant;
    terms.key = "LH-AAAAA-BBBBB-CCCCC-DDDDD";
    terms.tier = license_tier::team;
    terms.seats_total = seats;
    terms.heartbeat_interval = 30;
    terms.session_ttl = 60;
    caf::error result;
    self->request(directory, caf::infinite, add_license_atom_v, terms)
      .receive([](license_view&) {}, [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(seats_on_postgres_tests, fixture)

CAF_TEST(granted seats are in the database when the client gets its lease) {
  CAF_REQUIRE_EQUAL(add_license(2), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT seats_total FROM licenses"), "2");
  auto first = acquire("000000000001", "hw-1");
  CAF_REQUIRE(first);
  CAF_CHECK_EQUAL(db.scalar("SELECT hardware_id FROM sessions WHERE id = '" + first->session_id +
                            "' AND ended_at IS NULL"),
                  "hw-1");
  auto second = acquire("000000000002", "hw-2");
  CAF_REQUIRE(second);
  auto third = acquire("000000000003", "hw-3");
  CAF_REQUIRE(!third);
  CAF_CHECK(is_errc(third.error(), errc::no_seats_available));
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM sessions WHERE ended_at IS NULL"), "2");
  // Denials are written lazily.
  CAF_CHECK(db.eventually("SELECT count(*) FROM audit_log WHERE action = 'deny'", "1", 100));
  CAF_REQUIRE_EQUAL(release(*first), caf::none);
  CAF_CHECK_EQUAL(
    db.scalar("SELECT end_reason FROM sessions WHERE id = '" + first->session_id + "'"), "release");
}

CAF_TEST(a restarted node recovers its live sessions from the record) {
  CAF_REQUIRE_EQUAL(add_license(2), caf::none);
  auto first = acquire("000000000001", "hw-1");
  CAF_REQUIRE(first);
  auto second = acquire("000000000002", "hw-2");
  CAF_REQUIRE(second);
  CAF_REQUIRE_EQUAL(release(*first), caf::none);
  stop_node();
  start_node();
  // One seat is still held by the live session: one more fits, then the license is full.
  auto third = acquire("000000000003", "hw-3");
  CAF_REQUIRE(third);
  CAF_CHECK_EQUAL(third->seats_used, 2u);
  auto fourth = acquire("000000000004", "hw-4");
  CAF_REQUIRE(!fourth);
  CAF_CHECK(is_errc(fourth.error(), errc::no_seats_available));
}

CAF_TEST_FIXTURE_SCOPE_END()
