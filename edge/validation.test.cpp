#define CAF_SUITE edge.validation

#include "edge/validation.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace leasehold::edge;

namespace {

bool valid_email(const std::string& text) { return static_cast<bool>(normalize_email(text)); }

} // namespace

CAF_TEST(ordinary addresses are accepted and lower cased) {
  CAF_CHECK_EQUAL(normalize_email("Ada.Lovelace@Example.COM"),
                  std::string{"ada.lovelace@example.com"});
  CAF_CHECK(valid_email("a@b.co"));
  CAF_CHECK(valid_email("first.last+tag@mail.example.org"));
  CAF_CHECK(valid_email("x_y-z@sub-domain.example.io"));
  CAF_CHECK(valid_email("o'hara!#$%&*/=?^`{|}~@example.com"));
}

CAF_TEST(addresses outside the dot atom form or without a dotted domain are refused) {
  CAF_CHECK(!valid_email(""));
  CAF_CHECK(!valid_email("plainaddress"));
  CAF_CHECK(!valid_email("@example.com"));
  CAF_CHECK(!valid_email("ada@"));
  CAF_CHECK(!valid_email("ada@localhost"));
  CAF_CHECK(!valid_email(".ada@example.com"));
  CAF_CHECK(!valid_email("ada.@example.com"));
  CAF_CHECK(!valid_email("ada..lovelace@example.com"));
  CAF_CHECK(!valid_email("\"quoted\"@example.com"));
  CAF_CHECK(!valid_email("a b@example.com"));
  CAF_CHECK(!valid_email("ada@exa mple.com"));
  CAF_CHECK(!valid_email("ada@example..com"));
  CAF_CHECK(!valid_email("ada@-example.com"));
  CAF_CHECK(!valid_email("ada@example-.com"));
  CAF_CHECK(!valid_email("ada@example.com."));
  CAF_CHECK(!valid_email("ada@@example.com"));
  CAF_CHECK(!valid_email("ada@[127.0.0.1]"));
  CAF_CHECK(!valid_email("ad\xc3\xa4@example.com"));
}

CAF_TEST(an address of 254 characters is accepted and one of 255 is refused) {
  // 64 + 1 + 189 = 254: local part at its limit, a domain of labels within theirs.
  std::string local(64, 'a');
  std::string domain =
    std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(57, 'd') + ".com";
  auto at_limit = local + "@" + domain;
  CAF_REQUIRE_EQUAL(at_limit.size(), 254u);
  CAF_CHECK(valid_email(at_limit));
  auto over = local + "@e" + domain;
  CAF_REQUIRE_EQUAL(over.size(), 255u);
  CAF_CHECK(!valid_email(over));
  CAF_CHECK(!valid_email(std::string(65, 'a') + "@example.com"));
  CAF_CHECK(!valid_email("a@" + std::string(64, 'b') + ".com"));
}

CAF_TEST(passwords need ten characters counted as code points) {
  CAF_CHECK(!is_valid_password(""));
  CAF_CHECK(!is_valid_password("123456789"));
  CAF_CHECK(is_valid_password("1234567890"));
  // Nine characters, eighteen bytes: still too short.
  CAF_CHECK(
    !is_valid_password("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"));
  CAF_CHECK(is_valid_password(std::string(max_password_length, 'x')));
  CAF_CHECK(!is_valid_password(std::string(max_password_length + 1, 'x')));
}

CAF_TEST(names must not be blank) {
  CAF_CHECK(!is_valid_name(""));
  CAF_CHECK(!is_valid_name("   \t"));
  CAF_CHECK(is_valid_name("Acme"));
  CAF_CHECK(!is_valid_name(std::string(max_name_length + 1, 'x')));
}

CAF_TEST(slugs are two to sixty three lower case letters digits or hyphens) {
  CAF_CHECK(is_valid_slug("ab"));
  CAF_CHECK(is_valid_slug("acme-2"));
  CAF_CHECK(is_valid_slug(std::string(63, 'a')));
  CAF_CHECK(!is_valid_slug("a"));
  CAF_CHECK(!is_valid_slug(std::string(64, 'a')));
  CAF_CHECK(!is_valid_slug("Acme"));
  CAF_CHECK(!is_valid_slug("acme_inc"));
  CAF_CHECK(!is_valid_slug("acme inc"));
  CAF_CHECK(!is_valid_slug(""));
}

CAF_TEST(slugs derived from organization names are valid slugs) {
  CAF_CHECK_EQUAL(slug_from_name("Acme Inc."), "acme-inc");
  CAF_CHECK_EQUAL(slug_from_name("  --Große Firma GmbH--  "), "gro-e-firma-gmbh");
  CAF_CHECK_EQUAL(slug_from_name("!!!"), "tenant");
  CAF_CHECK_EQUAL(slug_from_name("X"), "tenant");
  auto long_slug = slug_from_name(std::string(80, 'z'));
  CAF_CHECK_EQUAL(long_slug.size(), 50u);
  CAF_CHECK(is_valid_slug(long_slug));
}

CAF_TEST(uuids are accepted in canonical form only and lower cased) {
  CAF_CHECK_EQUAL(normalize_uuid("3F2B9C1E-0000-4000-8000-00000000ABCD"),
                  std::string{"3f2b9c1e-0000-4000-8000-00000000abcd"});
  CAF_CHECK(!normalize_uuid("3f2b9c1e00004000800000000000abcd"));
  CAF_CHECK(!normalize_uuid("3f2b9c1e-0000-4000-8000-00000000abcz"));
  CAF_CHECK(!normalize_uuid("{3f2b9c1e-0000-4000-8000-00000000abc}"));
  CAF_CHECK(!normalize_uuid(""));
}

CAF_TEST(product names are short and plain) {
  CAF_CHECK(is_valid_product("default"));
  CAF_CHECK(is_valid_product("cad-pro_2.1"));
  CAF_CHECK(!is_valid_product(""));
  CAF_CHECK(!is_valid_product("a b"));
  CAF_CHECK(!is_valid_product(std::string(65, 'p')));
}
