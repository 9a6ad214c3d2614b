#define CAF_SUITE crypto.hmac

#include "edge/crypto/hmac.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::crypto;

CAF_TEST(RFC 4231 test case 2 gives the published HMAC - SHA256) {
  CAF_CHECK_EQUAL(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
                  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

CAF_TEST(RFC 4231 test case 1 gives the published HMAC - SHA256) {
  CAF_CHECK_EQUAL(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
                  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

CAF_TEST(the raw mac has 32 bytes and matches the hex form) {
  auto raw = hmac_sha256("k", "m");
  CAF_REQUIRE_EQUAL(raw.size(), 32u);
  auto hex = hmac_sha256_hex("k", "m");
  CAF_CHECK_EQUAL(hex.size(), 64u);
  static constexpr char digits[] = "0123456789abcdef";
  std::string expected;
  for (auto c : raw) {
    auto b = static_cast<unsigned char>(c);
    expected += digits[b >> 4];
    expected += digits[b & 0x0Fu];
  }
  CAF_CHECK_EQUAL(hex, expected);
}

CAF_TEST(an empty key still authenticates) {
  CAF_CHECK_EQUAL(hmac_sha256_hex("", ""),
                  "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

CAF_TEST(constant_time_equal compares contents and lengths) {
  CAF_CHECK(constant_time_equal("", ""));
  CAF_CHECK(constant_time_equal("abc", "abc"));
  CAF_CHECK(!constant_time_equal("abc", "abd"));
  CAF_CHECK(!constant_time_equal("abc", "ab"));
  CAF_CHECK(!constant_time_equal("", "a"));
}
