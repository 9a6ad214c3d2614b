#include "actors/uuid.hpp"

#include <array>
#include <cstdint>

namespace leasehold {

std::string make_uuid(std::mt19937_64& rng) {
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < bytes.size(); i += 8) {
    auto word = rng();
    for (size_t j = 0; j < 8; ++j) {
      bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
    }
  }
  // RFC 4122: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);
  constexpr const char* hex = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += hex[bytes[i] >> 4];
    text += hex[bytes[i] & 0x0F];
  }
  return text;
}

std::string new_session_id() {
  // One engine per thread: actors run on any worker thread, and a shared engine would need a
  // lock. Several seed words, so that threads starting at once still diverge.
  thread_local std::mt19937_64 rng = [] {
    std::random_device dev;
    std::seed_seq seed{dev(), dev(), dev(), dev()};
    return std::mt19937_64{seed};
  }();
  return make_uuid(rng);
}

} // namespace leasehold
