#define CAF_SUITE persistence.pg

#include "persistence/pg.hpp"

#include "actors/errc.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>

using namespace leasehold;
using namespace leasehold::persistence;
using namespace std::chrono_literals;

namespace {

caf::timestamp at_micros(int64_t micros) {
  return caf::timestamp{
    std::chrono::duration_cast<caf::timestamp::duration>(std::chrono::microseconds{micros})};
}

} // namespace

CAF_TEST(timestamps print as ISO 8601 UTC with microseconds) {
  CAF_CHECK_EQUAL(to_pg_timestamp(at_micros(0)), "1970-01-01T00:00:00.000000Z");
  CAF_CHECK_EQUAL(to_pg_timestamp(at_micros(1795298787123456)), "2026-11-21T22:06:27.123456Z");
}

CAF_TEST(timestamps parse from PostgreSQL output with and without fractions) {
  CAF_CHECK_EQUAL(parse_pg_timestamp("2026-11-21 22:06:27.123456+00"), at_micros(1795298787123456));
  CAF_CHECK_EQUAL(parse_pg_timestamp("2026-11-21 22:06:27.5+00"), at_micros(1795298787500000));
  CAF_CHECK_EQUAL(parse_pg_timestamp("2026-11-21 22:06:27+00"), at_micros(1795298787000000));
}

CAF_TEST(timestamps survive printing and parsing at microsecond precision) {
  auto x = at_micros(1795298787654321);
  auto text = to_pg_timestamp(x);
  CAF_CHECK_EQUAL(parse_pg_timestamp(text), x);
}

CAF_TEST(malformed timestamps and other time zones do not parse) {
  CAF_CHECK(!parse_pg_timestamp(""));
  CAF_CHECK(!parse_pg_timestamp("2026-11-21"));
  CAF_CHECK(!parse_pg_timestamp("2026-11-21 22:06:27+02"));
  CAF_CHECK(!parse_pg_timestamp("2026-1x-21 22:06:27+00"));
}

CAF_TEST(a dsn gets another database in keyword and URI form) {
  auto kw = dsn_with_database("host=/tmp/x port=5 user=postgres dbname=postgres", "lh_1");
  CAF_REQUIRE(kw);
  CAF_CHECK_EQUAL(*kw, "user='postgres' host='/tmp/x' port='5' dbname='lh_1'");
  auto uri = dsn_with_database("postgresql://u@db.example:5433/app", "lh_2");
  CAF_REQUIRE(uri);
  CAF_CHECK_EQUAL(*uri, "user='u' host='db.example' port='5433' dbname='lh_2'");
  CAF_CHECK(!dsn_with_database("host='unterminated", "x"));
}

CAF_TEST(identifiers are quoted with doubled quotes) {
  CAF_CHECK_EQUAL(quote_identifier("lh_test"), "\"lh_test\"");
  CAF_CHECK_EQUAL(quote_identifier("a\"b"), "\"a\"\"b\"");
}

CAF_TEST(parameters convert to text or null) {
  CAF_CHECK_EQUAL(to_pg_param(42), pg_param{"42"});
  CAF_CHECK_EQUAL(to_pg_param(uint32_t{7}), pg_param{"7"});
  CAF_CHECK_EQUAL(to_pg_param(true), pg_param{"true"});
  CAF_CHECK_EQUAL(to_pg_param(caf::optional<int>{}), pg_param{});
  CAF_CHECK_EQUAL(to_pg_param(nullptr), pg_param{});
}

CAF_TEST(an unreachable server is unavailable) {
  auto conn = pg_connection::connect("host=/nonexistent/socket/dir port=1 connect_timeout=1");
  CAF_REQUIRE(!conn);
  CAF_CHECK(is_errc(conn.error(), errc::unavailable));
}
