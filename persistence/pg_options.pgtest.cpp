#define CAF_SUITE persistence.pg_options

#include "persistence/pg.hpp"
#include "persistence/test_database.hpp"

#include <caf/test/unit_test.hpp>

#include <map>
#include <memory>

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
