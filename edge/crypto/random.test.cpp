#define CAF_SUITE crypto.random

#include "edge/crypto/random.hpp"

#include <caf/test/unit_test.hpp>

#include <set>

using namespace leasehold::crypto;

CAF_TEST(random_bytes returns the requested number of bytes) {
  CAF_CHECK_EQUAL(random_bytes(0).size(), 0u);
  CAF_CHECK_EQUAL(random_bytes(1).size(), 1u);
  CAF_CHECK_EQUAL(random_bytes(64).size(), 64u);
}

CAF_TEST(two draws of 32 random bytes differ) {
  CAF_CHECK_NOT_EQUAL(random_bytes(32), random_bytes(32));
}

CAF_TEST(a uuid is version 4 in lower - case text) {
  auto id = new_uuid();
  CAF_REQUIRE_EQUAL(id.size(), 36u);
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      CAF_CHECK_EQUAL(id[i], '-');
    } else {
      auto c = id[i];
      CAF_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
  }
  CAF_CHECK_EQUAL(id[14], '4');
  CAF_CHECK(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

CAF_TEST(uuids do not repeat over many draws) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    seen.insert(new_uuid());
  }
  CAF_CHECK_EQUAL(seen.size(), 10000u);
}
