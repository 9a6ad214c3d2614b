#define CAF_SUITE crypto.base64url

#include "edge/crypto/base64url.hpp"

#include "edge/crypto/random.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::crypto;

CAF_TEST(the RFC 4648 test vectors encode without padding) {
  CAF_CHECK_EQUAL(base64url_encode(""), "");
  CAF_CHECK_EQUAL(base64url_encode("f"), "Zg");
  CAF_CHECK_EQUAL(base64url_encode("fo"), "Zm8");
  CAF_CHECK_EQUAL(base64url_encode("foo"), "Zm9v");
  CAF_CHECK_EQUAL(base64url_encode("foob"), "Zm9vYg");
  CAF_CHECK_EQUAL(base64url_encode("fooba"), "Zm9vYmE");
  CAF_CHECK_EQUAL(base64url_encode("foobar"), "Zm9vYmFy");
}

CAF_TEST(the url alphabet replaces plus and slash) {
  CAF_CHECK_EQUAL(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  CAF_CHECK_EQUAL(base64url_decode("-_-_"), std::string("\xfb\xff\xbf", 3));
}

CAF_TEST(every length from 0 to 64 round trips) {
  for (size_t n = 0; n <= 64; ++n) {
    auto bytes = random_bytes(n);
    auto text = base64url_encode(bytes);
    CAF_CHECK_EQUAL(text.find('='), std::string::npos);
    auto back = base64url_decode(text);
    CAF_REQUIRE(back);
    CAF_CHECK_EQUAL(*back, bytes);
  }
}

CAF_TEST(zero bytes round trip) {
  std::string zeros(5, '\0');
  CAF_CHECK_EQUAL(base64url_decode(base64url_encode(zeros)), zeros);
}

CAF_TEST(padding and standard alphabet characters are refused) {
  CAF_CHECK(!base64url_decode("Zg=="));
  CAF_CHECK(!base64url_decode("Zm8="));
  CAF_CHECK(!base64url_decode("+/+/"));
  CAF_CHECK(!base64url_decode("Zm9 v"));
  CAF_CHECK(!base64url_decode("Zm9v\n"));
}

CAF_TEST(a length of one modulo four is refused) {
  CAF_CHECK(!base64url_decode("Z"));
  CAF_CHECK(!base64url_decode("Zm9vY"));
}

CAF_TEST(non canonical trailing bits are refused) {
  // "Zg" is "f"; "Zh" carries the same byte with a non-zero unused bit.
  CAF_CHECK_EQUAL(base64url_decode("Zg"), std::string("f"));
  CAF_CHECK(!base64url_decode("Zh"));
}
