#include "edge/crypto/password_hash.hpp"

#include "edge/crypto/base64url.hpp"
#include "edge/crypto/random.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace leasehold::crypto {

namespace {

constexpr unsigned log2_n = 14;
constexpr uint32_t block_size = 8;      // r
constexpr uint32_t parallelization = 1; // p
constexpr size_t salt_bytes = 16;
constexpr size_t key_bytes = 32;

// Bounds for parameters read back from stored hashes, so a corrupt row cannot make a login
// allocate gigabytes.
constexpr unsigned max_log2_n = 20;
constexpr uint32_t max_block_size = 16;
constexpr uint32_t max_parallelization = 4;

struct kdf_params {
  unsigned log2_n = 0;
  uint32_t r = 0;
  uint32_t p = 0;
};

struct kdf_deleter {
  void operator()(EVP_KDF* x) const { EVP_KDF_free(x); }
  void operator()(EVP_KDF_CTX* x) const { EVP_KDF_CTX_free(x); }
};

// Derives `out_len` bytes; empty on failure (e.g. memory limits).
std::string scrypt(std::string_view password, std::string_view salt, const kdf_params& kp,
                   size_t out_len) {
  std::unique_ptr<EVP_KDF, kdf_deleter> kdf{EVP_KDF_fetch(nullptr, "SCRYPT", nullptr)};
  if (!kdf) {
    return {};
  }
  std::unique_ptr<EVP_KDF_CTX, kdf_deleter> ctx{EVP_KDF_CTX_new(kdf.get())};
  if (!ctx) {
    return {};
  }
  uint64_t n = uint64_t{1} << kp.log2_n;
  uint32_t r = kp.r;
  uint32_t p = kp.p;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                      password.size()),
    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                      salt.size()),
    OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
    OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
    OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
    OSSL_PARAM_construct_end(),
  };
  std::string out(out_len, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params) !=
      1) {
    return {};
  }
  return out;
}

// Splits `text` at '$'.
std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto pos = text.find('$');
    parts.push_back(text.substr(0, pos));
    if (pos == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(pos + 1);
  }
}

// Strict decimal without sign or leading zeros.
template <class T> bool parse_number(std::string_view text, T& out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

} // namespace

std::string hash_password(std::string_view password) {
  auto salt = random_bytes(salt_bytes);
  auto key = scrypt(password, salt, {log2_n, block_size, parallelization}, key_bytes);
  // The fixed parameters are well inside OpenSSL's memory limit: failing here means the
  // library is broken, and an empty hash must never be stored.
  if (key.empty()) {
    std::abort();
  }
  std::string out = "scrypt$";
  out += std::to_string(log2_n);
  out += '$';
  out += std::to_string(block_size);
  out += '$';
  out += std::to_string(parallelization);
  out += '$';
  out += base64url_encode(salt);
  out += '$';
  out += base64url_encode(key);
  return out;
}

bool verify_password(std::string_view password, std::string_view encoded) {
  auto parts = split(encoded);
  if (parts.size() != 6 || parts[0] != "scrypt") {
    return false;
  }
  kdf_params kp;
  if (!parse_number(parts[1], kp.log2_n) || !parse_number(parts[2], kp.r) ||
      !parse_number(parts[3], kp.p)) {
    return false;
  }
  if (kp.log2_n < 1 || kp.log2_n > max_log2_n || kp.r < 1 || kp.r > max_block_size || kp.p < 1 ||
      kp.p > max_parallelization) {
    return false;
  }
  auto salt = base64url_decode(parts[4]);
  auto expected = base64url_decode(parts[5]);
  // The key length is fixed: scrypt's output for a shorter length is a prefix of the longer
  // one, so accepting any length would let a truncated hash verify.
  if (!salt || !expected || salt->size() < 8 || expected->size() != key_bytes) {
    return false;
  }
  auto actual = scrypt(password, *salt, kp, expected->size());
  if (actual.size() != expected->size()) {
    return false;
  }
  return CRYPTO_memcmp(actual.data(), expected->data(), actual.size()) == 0;
}

} // namespace leasehold::crypto
