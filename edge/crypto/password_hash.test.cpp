#define CAF_SUITE crypto.password_hash

#include "edge/crypto/password_hash.hpp"

#include "edge/crypto/base64url.hpp"

#include <caf/test/unit_test.hpp>

#include <vector>

using namespace leasehold::crypto;

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    auto pos = text.find('$', start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string::npos) {
      return parts;
    }
    start = pos + 1;
  }
}

} // namespace

CAF_TEST(a hashed password verifies and a wrong one does not ) {
  auto encoded = hash_password("correct horse battery");
  CAF_CHECK(verify_password("correct horse battery", encoded));
  CAF_CHECK(!verify_password("correct horse batterz", encoded));
  CAF_CHECK(!verify_password("", encoded));
}

CAF_TEST(the encoding names scrypt and its parameters) {
  auto parts = split(hash_password("pw"));
  CAF_REQUIRE_EQUAL(parts.size(), 6u);
  CAF_CHECK_EQUAL(parts[0], "scrypt");
  CAF_CHECK_EQUAL(parts[1], "14");
  CAF_CHECK_EQUAL(parts[2], "8");
  CAF_CHECK_EQUAL(parts[3], "1");
  CAF_CHECK_EQUAL(base64url_decode(parts[4])->size(), 16u);
  CAF_CHECK_EQUAL(base64url_decode(parts[5])->size(), 32u);
}

CAF_TEST(two hashes of one password use distinct salts) {
  auto a = hash_password("same password");
  auto b = hash_password("same password");
  CAF_CHECK_NOT_EQUAL(a, b);
  auto salt_a = split(a)[4];
  auto salt_b = split(b)[4];
  CAF_CHECK_NOT_EQUAL(salt_a, salt_b);
  CAF_CHECK(verify_password("same password", a));
  CAF_CHECK(verify_password("same password", b));
}

CAF_TEST(the RFC 7914 scrypt test vector verifies) {
  // RFC 7914 section 12: P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, 64 bytes.
  // Our hashes keep 32 bytes; scrypt's shorter output is a prefix of the longer one.
  std::string key =
    "\x70\x23\xbd\xcb\x3a\xfd\x73\x48\x46\x1c\x06\xcd\x81\xfd\x38\xeb\xfd\xa8\xfb\xba\x90\x4f"
    "\x8e\x3e\xa9\xb5\x43\xf6\x54\x5d\xa1\xf2\xd5\x43\x29\x55\x61\x3f\x0f\xcf\x62\xd4\x97\x05"
    "\x24\x2a\x9a\xf9\xe6\x1e\x85\xdc\x0d\x65\x1e\x40\xdf\xcf\x01\x7b\x45\x57\x58\x87";
  auto encoded = "scrypt$14$8$1$" + base64url_encode("SodiumChloride") + "$" +
                 base64url_encode(key.substr(0, 32));
  CAF_CHECK(verify_password("pleaseletmein", encoded));
  CAF_CHECK(!verify_password("pleaseletmein", "scrypt$14$8$1$" +
                                                base64url_encode("SodiumChloride") + "$" +
                                                base64url_encode(key)));
  CAF_CHECK(!verify_password("pleaseletmeout", encoded));
}

CAF_TEST(malformed encodings verify false) {
  auto good = hash_password("pw");
  auto parts = split(good);
  auto join = [](const std::vector<std::string>& xs) {
    std::string out;
    for (size_t i = 0; i < xs.size(); ++i) {
      out += (i == 0 ? "" : "$") + xs[i];
    }
    return out;
  };
  CAF_CHECK(!verify_password("pw", ""));
  CAF_CHECK(!verify_password("pw", "pw"));
  CAF_CHECK(!verify_password("pw", good + "$"));
  CAF_CHECK(!verify_password("pw", good.substr(0, good.size() - 1)));
  auto bad = parts;
  bad[0] = "bcrypt";
  CAF_CHECK(!verify_password("pw", join(bad)));
  bad = parts;
  bad[1] = "40"; // 2^40 would need terabytes
  CAF_CHECK(!verify_password("pw", join(bad)));
  bad = parts;
  bad[1] = "-1";
  CAF_CHECK(!verify_password("pw", join(bad)));
  bad = parts;
  bad[2] = "08";
  CAF_CHECK(!verify_password("pw", join(bad)));
  bad = parts;
  bad[4] = "***";
  CAF_CHECK(!verify_password("pw", join(bad)));
  bad = parts;
  bad[5] = "";
  CAF_CHECK(!verify_password("pw", join(bad)));
  CAF_CHECK(verify_password("pw", join(parts)));
}
