#define CAF_SUITE actors.uuid

#include "actors/uuid.hpp"

#include <caf/test/unit_test.hpp>

#include <regex>
#include <set>
#include <unordered_set>

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

CAF_TEST(a uuid parses to its bits in either case) {
  auto bits = parse_uuid("0123abcd-4567-89ef-0a1b-2c3d4e5f6789");
  CAF_REQUIRE(bits);
  CAF_CHECK_EQUAL(bits->high, 0x0123abcd456789efu);
  CAF_CHECK_EQUAL(bits->low, 0x0a1b2c3d4e5f6789u);
  auto upper = parse_uuid("0123ABCD-4567-89EF-0A1B-2C3D4E5F6789");
  CAF_REQUIRE(upper);
  CAF_CHECK(*upper == *bits);
  auto other = parse_uuid("0123abcd-4567-89ef-0a1b-2c3d4e5f6788");
  CAF_REQUIRE(other);
  CAF_CHECK(!(*other == *bits));
}

CAF_TEST(text that is not a uuid does not parse) {
  CAF_CHECK(!parse_uuid(""));
  CAF_CHECK(!parse_uuid("0123abcd-4567-89ef-0a1b-2c3d4e5f678"));   // one digit short
  CAF_CHECK(!parse_uuid("0123abcd-4567-89ef-0a1b-2c3d4e5f67890")); // one too many
  CAF_CHECK(!parse_uuid("0123abcd04567-89ef-0a1b-2c3d4e5f6789"));  // dash missing
  CAF_CHECK(!parse_uuid("0123abcg-4567-89ef-0a1b-2c3d4e5f6789"));  // not hex
  CAF_CHECK(!parse_uuid("0123abcd-4567-89ef-0a1b-2c3d4e5f67-9"));  // dash in a group
}

CAF_TEST(generated ids parse and keep their distinctness as bits) {
  std::unordered_set<uuid_bits, uuid_bits_hash> seen;
  for (int i = 0; i < 1000; ++i) {
    auto bits = parse_uuid(new_session_id());
    CAF_REQUIRE(bits);
    seen.insert(*bits);
  }
  CAF_CHECK_EQUAL(seen.size(), 1000u);
}
