#include "edge/crypto/random.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace leasehold::crypto {

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (n == 0) {
    return out;
  }
  // Bounded by int on the OpenSSL side; callers ask for a few dozen bytes.
  if (n > 1024 * 1024 ||
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::fputs("leasehold: the random number generator failed\n", stderr);
    std::abort();
  }
  return out;
}

std::string format_uuid_v4(const unsigned char* bytes16) {
  unsigned char bytes[16];
  std::memcpy(bytes, bytes16, sizeof(bytes));
  // RFC 4122 section 4.4: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0Fu) | 0x40u);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3Fu) | 0x80u);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < sizeof(bytes); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out += '-';
    }
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0Fu];
  }
  return out;
}

std::string new_uuid() {
  auto bytes = random_bytes(16);
  return format_uuid_v4(reinterpret_cast<const unsigned char*>(bytes.data()));
}

} // namespace leasehold::crypto
