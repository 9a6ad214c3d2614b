#define CAF_SUITE crypto.signing_key

#include "edge/crypto/signing_key.hpp"

#include "edge/crypto/base64url.hpp"

#include <caf/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>
#include <thread>
#include <vector>

using namespace leasehold::crypto;

CAF_TEST(a signature verifies with the public key and fails on other messages) {
  auto key = signing_key::generate();
  auto sig = key.sign("hello");
  CAF_REQUIRE_EQUAL(sig.size(), 64u);
  CAF_CHECK(key.public_key().verify("hello", sig));
  CAF_CHECK(!key.public_key().verify("hellO", sig));
  auto tampered = sig;
  tampered[10] = static_cast<char>(tampered[10] ^ 1);
  CAF_CHECK(!key.public_key().verify("hello", tampered));
  CAF_CHECK(!key.public_key().verify("hello", sig.substr(0, 63)));
}

CAF_TEST(another key does not verify the signature) {
  auto a = signing_key::generate();
  auto b = signing_key::generate();
  CAF_CHECK_NOT_EQUAL(a.kid(), b.kid());
  CAF_CHECK(!b.public_key().verify("x", a.sign("x")));
}

CAF_TEST(the kid is base64url of the first 12 bytes of SHA - 256 of the raw public key) {
  auto key = signing_key::generate();
  auto raw = key.public_key_raw();
  CAF_REQUIRE_EQUAL(raw.size(), 32u);
  unsigned char digest[32];
  CAF_REQUIRE_EQUAL(EVP_Digest(raw.data(), raw.size(), digest, nullptr, EVP_sha256(), nullptr), 1);
  CAF_CHECK_EQUAL(key.kid(), base64url_encode(std::string(reinterpret_cast<char*>(digest), 12)));
  CAF_CHECK_EQUAL(key.kid().size(), 16u);
}

CAF_TEST(a PEM round trip keeps the key and its kid) {
  auto key = signing_key::generate();
  auto pem = key.private_pem();
  CAF_CHECK_EQUAL(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto back = signing_key::from_pem(pem);
  CAF_REQUIRE(back);
  CAF_CHECK_EQUAL(back->kid(), key.kid());
  CAF_CHECK_EQUAL(back->public_key_raw(), key.public_key_raw());
  CAF_CHECK(key.public_key().verify("m", back->sign("m")));
}

CAF_TEST(from_pem refuses garbage and non Ed25519 keys) {
  CAF_CHECK(!signing_key::from_pem(""));
  CAF_CHECK(
    !signing_key::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
  auto ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  CAF_REQUIRE(ec != nullptr);
  auto bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  auto len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(ec);
  CAF_CHECK(!signing_key::from_pem(pem));
}

CAF_TEST(a verifying key from raw bytes verifies like the original) {
  auto key = signing_key::generate();
  auto pub = verifying_key::from_raw(key.public_key_raw());
  CAF_REQUIRE(pub);
  CAF_CHECK_EQUAL(pub->kid(), key.kid());
  CAF_CHECK(pub->verify("m", key.sign("m")));
  CAF_CHECK(!verifying_key::from_raw("short"));
}

CAF_TEST(copies of a key signing from several threads at once give the expected signatures) {
  // Ed25519 is deterministic: every thread must produce the signatures signed here first.
  auto key = signing_key::generate();
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (int i = 0; i < 16; ++i) {
    messages.push_back(std::string(400, 'm') + std::to_string(i));
    expected.push_back(key.sign(messages.back()));
  }
  constexpr int threads = 4;
  constexpr int rounds = 20;
  std::vector<int> mismatches(threads, 0);
  std::vector<std::thread> signers;
  for (int t = 0; t < threads; ++t) {
    signers.emplace_back([&, t, copy = key] {
      for (int r = 0; r < rounds; ++r) {
        for (size_t i = 0; i < messages.size(); ++i) {
          auto& sign_with = t % 2 == 0 ? key : copy;
          mismatches[static_cast<size_t>(t)] += sign_with.sign(messages[i]) != expected[i];
        }
      }
    });
  }
  for (auto& signer : signers) {
    signer.join();
  }
  CAF_CHECK_EQUAL(mismatches, std::vector<int>(threads, 0));
  for (size_t i = 0; i < messages.size(); ++i) {
    CAF_CHECK(key.public_key().verify(messages[i], expected[i]));
  }
}

CAF_TEST(a key signs the same message alike every time and other messages differently) {
  auto key = signing_key::generate();
  CAF_CHECK_EQUAL(key.sign("a"), key.sign("a"));
  CAF_CHECK_NOT_EQUAL(key.sign("a"), key.sign("b"));
  CAF_CHECK(key.public_key().verify("", key.sign("")));
}
