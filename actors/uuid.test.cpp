#define CAF_SUITE actors.uuid

#include "actors/uuid.hpp"

#include <caf/test/unit_test.hpp>

#include <regex>
#include <set>

using namespace leasehold;

CAF_TEST(a uuid is version 4 text in lower case) {
  std::regex shape{"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};
  for (int i = 0; i < 100; ++i) {
    auto id = new_session_id();
    CAF_CHECK(std::regex_match(id, shape));
  }
}

CAF_TEST(the same seed gives the same uuid and new ids differ) {
  std::mt19937_64 a{42};
  std::mt19937_64 b{42};
  CAF_CHECK_EQUAL(make_uuid(a), make_uuid(b));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(new_session_id());
  }
  CAF_CHECK_EQUAL(seen.size(), 1000u);
}
