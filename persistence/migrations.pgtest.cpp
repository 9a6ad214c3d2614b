#define CAF_SUITE persistence.migrations

#include "persistence/migrations.hpp"

#include "actors/errc.hpp"
#include "persistence/test_database.hpp"

#include <caf/test/unit_test.hpp>

#include <thread>

using namespace leasehold;
using namespace leasehold::persistence;

CAF_TEST(embedded migrations are in version order and include the initial schema) {
  auto migrations = embedded_migrations();
  CAF_REQUIRE(migrations);
  CAF_REQUIRE(!migrations->empty());
  CAF_CHECK_EQUAL(migrations->front().version, 1);
  CAF_CHECK_EQUAL(migrations->front().name, "V001__initial_schema.sql");
  CAF_CHECK(migrations->front().sql.find("CREATE TABLE tenants") != std::string::npos);
  for (size_t i = 1; i < migrations->size(); ++i) {
    CAF_CHECK_LESS((*migrations)[i - 1].version, (*migrations)[i].version);
  }
}

CAF_TEST(migrating an empty database creates the schema and records each version) {
  test_database db{false};
  auto conn = db.connect();
  CAF_REQUIRE_EQUAL(apply_migrations(conn), caf::none);
  auto count = embedded_migrations()->size();
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM schema_migrations"), std::to_string(count));
  CAF_CHECK_EQUAL(db.scalar("SELECT name FROM schema_migrations WHERE version = 1"),
                  "V001__initial_schema.sql");
  CAF_CHECK_EQUAL(db.scalar("SELECT to_regclass('public.tenant_owner') IS NOT NULL"), "t");
}

CAF_TEST(migrating twice changes nothing) {
  test_database db{false};
  auto conn = db.connect();
  CAF_REQUIRE_EQUAL(apply_migrations(conn), caf::none);
  auto first = db.scalar("SELECT string_agg(version || applied_at::text, ',') FROM "
                         "schema_migrations");
  CAF_REQUIRE_EQUAL(apply_migrations(conn), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(version || applied_at::text, ',') FROM "
                            "schema_migrations"),
                  first);
}

CAF_TEST(a failing migration rolls back and leaves earlier ones applied) {
  test_database db{false};
  auto conn = db.connect();
  std::vector<migration> ms{{1, "V001__a.sql", "CREATE TABLE a (x int)"},
                            {2, "V002__b.sql", "CREATE TABLE b (x int); SELECT 1/0"},
                            {3, "V003__c.sql", "CREATE TABLE c (x int)"}};
  auto err = apply_migrations(conn, ms);
  CAF_CHECK(is_errc(err, errc::internal));
  CAF_CHECK(error_message(err).find("V002__b.sql") != std::string::npos);
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(version::text, ',') FROM schema_migrations"), "1");
  CAF_CHECK_EQUAL(db.scalar("SELECT to_regclass('public.b') IS NULL"), "t");
  CAF_CHECK_EQUAL(db.scalar("SELECT to_regclass('public.c') IS NULL"), "t");
  // Fixed, the next start applies the rest.
  ms[1].sql = "CREATE TABLE b (x int)";
  CAF_CHECK_EQUAL(apply_migrations(conn, ms), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM "
                            "schema_migrations"),
                  "1,2,3");
}

CAF_TEST(two nodes migrating at the same time apply each migration once) {
  test_database db{false};
  auto first = db.connect();
  auto second = db.connect();
  caf::error first_err;
  caf::error second_err;
  std::thread t1{[&] { first_err = apply_migrations(first); }};
  std::thread t2{[&] { second_err = apply_migrations(second); }};
  t1.join();
  t2.join();
  CAF_CHECK_EQUAL(first_err, caf::none);
  CAF_CHECK_EQUAL(second_err, caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM schema_migrations"),
                  std::to_string(embedded_migrations()->size()));
}
