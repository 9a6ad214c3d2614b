#define CAF_SUITE crypto.license_key

#include "edge/crypto/license_key.hpp"

#include <caf/test/unit_test.hpp>

#include <set>

using namespace leasehold::crypto;

CAF_TEST(a license key has the form LH dash four groups of five) {
  auto key = new_license_key();
  CAF_REQUIRE_EQUAL(key.size(), 26u);
  CAF_CHECK_EQUAL(key.substr(0, 3), "LH-");
  for (size_t i : {8u, 14u, 20u}) {
    CAF_CHECK_EQUAL(key[i], '-');
  }
  for (size_t i = 3; i < key.size(); ++i) {
    if (key[i] == '-') {
      continue;
    }
    auto c = key[i];
    CAF_CHECK((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '9'));
    CAF_CHECK(c != 'O' && c != 'I');
  }
  CAF_CHECK(is_license_key(key));
}

CAF_TEST(license keys are unique over many draws and use the whole alphabet) {
  std::set<std::string> seen;
  std::set<char> symbols;
  for (int i = 0; i < 20000; ++i) {
    auto key = new_license_key();
    CAF_CHECK(is_license_key(key));
    seen.insert(key);
    for (auto c : key.substr(3)) {
      symbols.insert(c);
    }
  }
  CAF_CHECK_EQUAL(seen.size(), 20000u);
  symbols.erase('-');
  CAF_CHECK_EQUAL(symbols.size(), 32u);
}

CAF_TEST(is_license_key refuses other shapes) {
  CAF_CHECK(is_license_key("LH-ABCDE-FGHJK-LMNPQ-RSTUV"));
  CAF_CHECK(!is_license_key("LH-ABCDE-FGHJK-LMNPQ-RSTU"));
  CAF_CHECK(!is_license_key("lh-ABCDE-FGHJK-LMNPQ-RSTUV"));
  CAF_CHECK(!is_license_key("LH-ABCDE-FGHJK-LMNPQ-RSTU0"));
  CAF_CHECK(!is_license_key("LH-ABCDEFFGHJK-LMNPQ-RSTUV"));
  CAF_CHECK(!is_license_key("LH-abcde-FGHJK-LMNPQ-RSTUV"));
  CAF_CHECK(!is_license_key(""));
}
