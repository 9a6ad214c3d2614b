#include "edge/crypto/signing_key.hpp"

#include "actors/errc.hpp"
#include "edge/crypto/base64url.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace leasehold::crypto {

namespace {

constexpr size_t raw_key_bytes = 32;
constexpr size_t signature_bytes = 64;
constexpr size_t kid_digest_bytes = 12;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* pkey) { return {pkey, EVP_PKEY_free}; }

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* x) const { EVP_MD_CTX_free(x); }
};

using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

struct bio_deleter {
  void operator()(BIO* x) const { BIO_free(x); }
};

using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

[[noreturn]] void fatal(const char* what) {
  // Only reachable if OpenSSL itself is broken (no Ed25519, out of memory): nothing the
  // server can do about it, and continuing would issue unsigned tokens.
  std::fprintf(stderr, "leasehold: OpenSSL failure: %s\n", what);
  std::abort();
}

std::string raw_public(const EVP_PKEY* pkey) {
  std::string raw(raw_key_bytes, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
      len != raw_key_bytes) {
    fatal("EVP_PKEY_get_raw_public_key");
  }
  return raw;
}

std::string make_kid(const std::string& raw) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (EVP_Digest(raw.data(), raw.size(), digest, nullptr, EVP_sha256(), nullptr) != 1) {
    fatal("EVP_Digest");
  }
  return base64url_encode(
    std::string_view{reinterpret_cast<const char*>(digest), kid_digest_bytes});
}

// A context ready to sign with `pkey`. Initialising one fetches the algorithm from the provider
// under locks, which costs more under load than copying a ready one.
std::shared_ptr<const EVP_MD_CTX> prepare_signing(EVP_PKEY* pkey) {
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) {
    fatal("EVP_DigestSignInit(Ed25519)");
  }
  return {ctx.release(), EVP_MD_CTX_free};
}

} // namespace

verifying_key::verifying_key(std::shared_ptr<evp_pkey_st> pkey, std::string raw)
    : pkey_(std::move(pkey)), raw_(std::move(raw)), kid_(make_kid(raw_)) {
  // nop
}

caf::expected<verifying_key> verifying_key::from_raw(std::string_view raw) {
  if (raw.size() != raw_key_bytes) {
    return make_error(errc::bad_request, "an Ed25519 public key has 32 bytes");
  }
  auto pkey = EVP_PKEY_new_raw_public_key(
    EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) {
    return make_error(errc::bad_request, "not an Ed25519 public key");
  }
  return verifying_key{own(pkey), std::string{raw}};
}

bool verifying_key::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != signature_bytes ||
      message.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return false;
  }
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

signing_key::signing_key(std::shared_ptr<evp_pkey_st> pkey)
    : pkey_(pkey), prepared_(prepare_signing(pkey.get())), public_(pkey, raw_public(pkey.get())) {
  // nop
}

signing_key signing_key::generate() {
  auto pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) {
    fatal("EVP_PKEY_Q_keygen(ED25519)");
  }
  return signing_key{own(pkey)};
}

caf::expected<signing_key> signing_key::from_pem(std::string_view pem) {
  if (pem.size() > 64 * 1024) {
    return make_error(errc::bad_request, "signing key PEM too large");
  }
  bio_ptr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) {
    fatal("BIO_new_mem_buf");
  }
  // A passphrase callback that refuses: encrypted keys are not supported, and OpenSSL must not
  // prompt on a terminal.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  auto pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (pkey == nullptr) {
    return make_error(errc::bad_request, "not a PEM private key");
  }
  auto owned = own(pkey);
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    return make_error(errc::bad_request, "the signing key is not an Ed25519 key");
  }
  return signing_key{std::move(owned)};
}

std::string signing_key::private_pem() const {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    fatal("PEM_write_bio_PrivateKey");
  }
  char* data = nullptr;
  auto len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string signing_key::sign(std::string_view message) const {
  // A context signs once, and the prepared one is shared: sign with a copy.
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  std::string sig(signature_bytes, '\0');
  size_t len = sig.size();
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != signature_bytes) {
    fatal("EVP_DigestSign(Ed25519)");
  }
  return sig;
}

} // namespace leasehold::crypto
