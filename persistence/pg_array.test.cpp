#define CAF_SUITE persistence.pg_array

#include "persistence/pg_array.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::persistence;

CAF_TEST(an empty array is a pair of braces) {
  pg_array arr;
  CAF_CHECK_EQUAL(arr.size(), 0u);
  CAF_CHECK_EQUAL(arr.take(), "{}");
}

CAF_TEST(elements are quoted and NULL stays unquoted) {
  pg_array arr;
  arr.add(std::string_view{"a"});
  arr.add(pg_param{});
  arr.add(pg_param{std::string{""}});
  CAF_CHECK_EQUAL(arr.size(), 3u);
  CAF_CHECK_EQUAL(arr.take(), R"({"a",NULL,""})");
}

CAF_TEST(quotes and backslashes are escaped and other syntax needs nothing) {
  pg_array arr;
  arr.add(std::string_view{R"(say "hi" \ {x,y} NULL)"});
  CAF_CHECK_EQUAL(arr.take(), R"({"say \"hi\" \\ {x,y} NULL"})");
}

CAF_TEST(take leaves an empty builder) {
  pg_array arr;
  arr.add(std::string_view{"x"});
  CAF_CHECK_EQUAL(arr.take(), R"({"x"})");
  arr.add(std::string_view{"y"});
  CAF_CHECK_EQUAL(arr.size(), 1u);
  CAF_CHECK_EQUAL(arr.take(), R"({"y"})");
}
