#define CAF_SUITE crypto.key_ring

#include "edge/crypto/key_ring.hpp"

#include "edge/crypto/base64url.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

using namespace leasehold::crypto;

CAF_TEST(keys are found by kid and duplicates are ignored) {
  auto a = signing_key::generate();
  auto b = signing_key::generate();
  key_ring ring{{a.public_key(), b.public_key(), a.public_key()}};
  CAF_CHECK_EQUAL(ring.size(), 2u);
  CAF_REQUIRE(ring.find(a.kid()) != nullptr);
  CAF_CHECK_EQUAL(ring.find(a.kid())->public_key_raw(), a.public_key_raw());
  CAF_CHECK(ring.find("nope") == nullptr);
}

CAF_TEST(verify uses the key named by kid and counts signature checks) {
  auto a = signing_key::generate();
  auto b = signing_key::generate();
  key_ring ring{{a.public_key(), b.public_key()}};
  auto sig = a.sign("m");
  CAF_CHECK(ring.verify(a.kid(), "m", sig));
  CAF_CHECK(!ring.verify(b.kid(), "m", sig));
  CAF_CHECK_EQUAL(ring.signature_checks(), 2u);
  CAF_CHECK(!ring.verify("unknown", "m", sig));
  CAF_CHECK_EQUAL(ring.signature_checks(), 2u);
}

CAF_TEST(the JWKS lists every key with an x of 32 bytes) {
  auto a = signing_key::generate();
  auto b = signing_key::generate();
  key_ring ring{{a.public_key(), b.public_key()}};
  google::protobuf::Struct jwks;
  CAF_REQUIRE(google::protobuf::util::JsonStringToMessage(ring.jwks_json(), &jwks).ok());
  auto& keys = jwks.fields().at("keys").list_value();
  CAF_REQUIRE_EQUAL(keys.values_size(), 2);
  for (int i = 0; i < 2; ++i) {
    auto& jwk = keys.values(i).struct_value().fields();
    auto& expected = i == 0 ? a : b;
    CAF_CHECK_EQUAL(jwk.at("kty").string_value(), "OKP");
    CAF_CHECK_EQUAL(jwk.at("crv").string_value(), "Ed25519");
    CAF_CHECK_EQUAL(jwk.at("alg").string_value(), "EdDSA");
    CAF_CHECK_EQUAL(jwk.at("use").string_value(), "sig");
    CAF_CHECK_EQUAL(jwk.at("kid").string_value(), expected.kid());
    auto x = base64url_decode(jwk.at("x").string_value());
    CAF_REQUIRE(x);
    CAF_CHECK_EQUAL(x->size(), 32u);
    CAF_CHECK_EQUAL(*x, expected.public_key_raw());
  }
}
