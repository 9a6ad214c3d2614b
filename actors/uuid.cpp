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

caf::optional<uuid_bits> parse_uuid(std::string_view text) {
  if (text.size() != 36) {
    return caf::none;
  }
  uuid_bits result;
  size_t digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return caf::none;
      }
      continue;
    }
    uint64_t nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      nibble = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return caf::none;
    }
    auto& half = digits < 16 ? result.high : result.low;
    half = (half << 4) | nibble;
    ++digits;
  }
  return result;
}

} // namespace leasehold
