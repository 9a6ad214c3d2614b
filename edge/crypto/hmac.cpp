#include "edge/crypto/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

namespace leasehold::crypto {

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  size_t len = 0;
  // HMAC keys may be empty; OpenSSL wants a non-null pointer even then.
  static const unsigned char empty = 0;
  auto key_ptr = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_ptr, key.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                reinterpret_cast<unsigned char*>(out.data()), out.size(), &len) == nullptr) {
    std::abort(); // SHA-256 HMAC is always available: only a broken library gets here
  }
  out.resize(len);
  return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  static constexpr char digits[] = "0123456789abcdef";
  auto mac = hmac_sha256(key, message);
  std::string out;
  out.reserve(mac.size() * 2);
  for (auto c : mac) {
    auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0x0Fu];
  }
  return out;
}

bool constant_time_equal(std::string_view x, std::string_view y) {
  // Lengths are public (a MAC's length is fixed); only the contents must not leak.
  if (x.size() != y.size()) {
    return false;
  }
  return x.empty() || CRYPTO_memcmp(x.data(), y.data(), x.size()) == 0;
}

} // namespace leasehold::crypto
