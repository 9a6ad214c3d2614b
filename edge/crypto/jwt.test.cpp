#define CAF_SUITE crypto.jwt

#include "edge/crypto/jwt.hpp"

#include "actors/errc.hpp"
#include "edge/crypto/base64url.hpp"
#include "edge/crypto/hmac.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

using namespace leasehold;
using namespace leasehold::crypto;

namespace {

constexpr int64_t now = 1'800'000'000;

google::protobuf::Struct parse(const std::string& json) {
  google::protobuf::Struct out;
  CAF_REQUIRE(google::protobuf::util::JsonStringToMessage(json, &out).ok());
  return out;
}

// A compact JWS of raw JSON texts, signed with `key` (or with `signature` if given).
std::string assemble(const std::string& header_json, const std::string& payload_json,
                     const signing_key& key) {
  auto input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  return input + "." + base64url_encode(key.sign(input));
}

struct fixture {
  signing_key key = signing_key::generate();
  key_ring ring{{key.public_key()}};
  std::string header = R"({"alg":"EdDSA","typ":"JWT","kid":")" + key.kid() + R"("})";
  std::string claims = R"({"sub":"u1","iat":1799999000,"exp":1800000600})";

  bool unauthorized(const std::string& token) {
    auto result = verify_jwt(token, ring, now);
    return !result && is_errc(result.error(), errc::unauthorized);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(jwt_tests, fixture)

CAF_TEST(a signed token verifies and returns its claims) {
  auto token = sign_jwt(parse(claims), key);
  auto result = verify_jwt(token, ring, now);
  CAF_REQUIRE(result);
  CAF_CHECK_EQUAL(*string_claim(*result, "sub"), "u1");
  CAF_CHECK_EQUAL(integer_claim(*result, "exp"), int64_t{1800000600});
}

CAF_TEST(the header names EdDSA the JWT type and the kid) {
  auto token = sign_jwt(parse(claims), key);
  auto header_json = base64url_decode(token.substr(0, token.find('.')));
  CAF_REQUIRE(header_json);
  auto h = parse(*header_json);
  CAF_CHECK_EQUAL(*string_claim(h, "alg"), "EdDSA");
  CAF_CHECK_EQUAL(*string_claim(h, "typ"), "JWT");
  CAF_CHECK_EQUAL(*string_claim(h, "kid"), key.kid());
  // The same fields as jwt_header_segment (JSON member order is not significant).
  auto again = base64url_decode(jwt_header_segment(key));
  CAF_REQUIRE(again);
  auto h2 = parse(*again);
  CAF_CHECK_EQUAL(h2.fields().size(), 3u);
  CAF_CHECK_EQUAL(*string_claim(h2, "kid"), key.kid());
}

CAF_TEST(timestamps are printed as plain integers) {
  auto token = sign_jwt(parse(claims), key);
  auto first = token.find('.');
  auto payload = base64url_decode(token.substr(first + 1, token.rfind('.') - first - 1));
  CAF_REQUIRE(payload);
  CAF_CHECK_NOT_EQUAL(payload->find("1800000600"), std::string::npos);
  CAF_CHECK_EQUAL(payload->find('e' + std::string{"+"}), std::string::npos);
}

CAF_TEST(a hand assembled token with the same texts verifies) {
  CAF_CHECK(verify_jwt(assemble(header, claims, key), ring, now));
}

CAF_TEST(a tampered payload is rejected) {
  auto token = sign_jwt(parse(claims), key);
  auto first = token.find('.');
  auto second = token.rfind('.');
  auto forged = token.substr(0, first + 1) +
                base64url_encode(R"({"sub":"admin","iat":1799999000,"exp":1800000600})") +
                token.substr(second);
  CAF_CHECK(unauthorized(forged));
}

CAF_TEST(a tampered signature is rejected) {
  auto token = sign_jwt(parse(claims), key);
  auto second = token.rfind('.');
  auto sig = *base64url_decode(token.substr(second + 1));
  sig[0] = static_cast<char>(sig[0] ^ 0x01);
  CAF_CHECK(unauthorized(token.substr(0, second + 1) + base64url_encode(sig)));
  CAF_CHECK(unauthorized(token.substr(0, second + 1)));
  CAF_CHECK(unauthorized(token.substr(0, second + 1) + base64url_encode(sig.substr(0, 63))));
}

CAF_TEST(alg none is rejected) {
  auto none_header = R"({"alg":"none","typ":"JWT","kid":")" + key.kid() + R"("})";
  auto token = base64url_encode(none_header) + "." + base64url_encode(claims) + ".";
  CAF_CHECK(unauthorized(token));
  // Also with a valid EdDSA signature attached: the header alone decides.
  CAF_CHECK(unauthorized(assemble(none_header, claims, key)));
}

CAF_TEST(alg HS256 keyed with the public key is rejected) {
  auto hs_header = R"({"alg":"HS256","typ":"JWT","kid":")" + key.kid() + R"("})";
  auto input = base64url_encode(hs_header) + "." + base64url_encode(claims);
  auto token = input + "." + base64url_encode(hmac_sha256(key.public_key_raw(), input));
  CAF_CHECK(unauthorized(token));
}

CAF_TEST(a missing alg or kid is rejected) {
  CAF_CHECK(unauthorized(assemble(R"({"typ":"JWT","kid":")" + key.kid() + R"("})", claims, key)));
  CAF_CHECK(unauthorized(assemble(R"({"alg":"EdDSA","typ":"JWT"})", claims, key)));
  CAF_CHECK(
    unauthorized(assemble(R"({"alg":["EdDSA"],"kid":")" + key.kid() + R"("})", claims, key)));
}

CAF_TEST(an unknown kid is rejected) {
  auto other = signing_key::generate();
  CAF_CHECK(unauthorized(sign_jwt(parse(claims), other)));
}

CAF_TEST(a crit header is rejected) {
  auto crit = R"({"alg":"EdDSA","kid":")" + key.kid() + R"(","crit":["exp"]})";
  CAF_CHECK(unauthorized(assemble(crit, claims, key)));
}

CAF_TEST(an expired token is rejected) {
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1,"exp":1800000000})", key)));
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1,"exp":1799999999})", key)));
  CAF_CHECK(verify_jwt(assemble(header, R"({"iat":1,"exp":1800000001})", key), ring, now));
}

CAF_TEST(missing or non numeric iat and exp are rejected) {
  CAF_CHECK(unauthorized(assemble(header, R"({"exp":1800000600})", key)));
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1})", key)));
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1,"exp":"1800000600"})", key)));
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1,"exp":1800000600.5})", key)));
  CAF_CHECK(unauthorized(assemble(header, R"({"iat":1,"exp":1e300})", key)));
}

CAF_TEST(claims that are not a JSON object are rejected) {
  CAF_CHECK(unauthorized(assemble(header, "[1,2]", key)));
  CAF_CHECK(unauthorized(assemble(header, "{", key)));
  CAF_CHECK(unauthorized(assemble(header, "", key)));
}

CAF_TEST(anything but three parts is rejected) {
  auto token = sign_jwt(parse(claims), key);
  CAF_CHECK(unauthorized(""));
  CAF_CHECK(unauthorized("abc"));
  CAF_CHECK(unauthorized(token.substr(0, token.rfind('.'))));
  CAF_CHECK(unauthorized(token + "."));
  CAF_CHECK(unauthorized(token + ".xyz"));
  CAF_CHECK(unauthorized(std::string(max_token_bytes + 1, 'a')));
}

CAF_TEST_FIXTURE_SCOPE_END()
