#define CAF_SUITE persistence.pg_options

#include "persistence/pg.hpp"
#include "persistence/test_database.hpp"

#include <caf/test/unit_test.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace leasehold;
using namespace leasehold::persistence;

namespace {

// The connection options libpq uses for `conn`, by keyword.
std::map<std::string, std::string> options_of(pg_connection& conn) {
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> info{PQconninfo(conn.get()),
                                                                    PQconninfoFree};
  std::map<std::string, std::string> result;
  for (auto* opt = info.get(); opt != nullptr && opt->keyword != nullptr; ++opt) {
    if (opt->val != nullptr) {
      result[opt->keyword] = opt->val;
    }
  }
  return result;
}

} // namespace

CAF_TEST(a connection gives up on a silent tcp peer after 30 seconds by default) {
  test_database db;
  auto conn = db.connect();
  auto opts = options_of(conn);
  CAF_CHECK_EQUAL(opts["keepalives"], "1");
  CAF_CHECK_EQUAL(opts["tcp_user_timeout"], "30000");
  CAF_CHECK_EQUAL(opts["dbname"], db.name());
}

CAF_TEST(tcp settings in the dsn win over the defaults) {
  test_database db;
  auto conn = pg_connection::connect(db.dsn() + " tcp_user_timeout=5000 keepalives_idle=7");
  CAF_REQUIRE(conn);
  auto opts = options_of(*conn);
  CAF_CHECK_EQUAL(opts["tcp_user_timeout"], "5000");
  CAF_CHECK_EQUAL(opts["keepalives_idle"], "7");
  CAF_CHECK_EQUAL(opts["keepalives"], "1");
}

CAF_TEST(notices stay quiet and warnings still reach the notice processor) {
  test_database db;
  auto conn = db.connect();
  std::vector<std::string> seen;
  PQsetNoticeProcessor(
    conn.get(),
    [](void* arg, const char* text) {
      static_cast<std::vector<std::string>*>(arg)->push_back(text);
    },
    &seen);
  // The second CREATE raises a NOTICE ("already exists, skipping").
  CAF_REQUIRE(!conn.exec_script("CREATE TABLE IF NOT EXISTS quiet_check (x int)"));
  CAF_REQUIRE(!conn.exec_script("CREATE TABLE IF NOT EXISTS quiet_check (x int)"));
  CAF_CHECK_EQUAL(seen.size(), 0u);
  CAF_REQUIRE(!conn.exec_script("DO $$ BEGIN RAISE WARNING 'loud enough'; END $$"));
  CAF_REQUIRE_EQUAL(seen.size(), 1u);
  CAF_CHECK(seen.front().find("loud enough") != std::string::npos);
}
