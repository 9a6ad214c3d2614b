#include "edge/crypto/license_key.hpp"

#include "edge/crypto/random.hpp"

namespace leasehold::crypto {

namespace {

// 32 symbols, so that 5 random bits pick one without bias.
constexpr std::string_view alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr size_t groups = 4;
constexpr size_t group_size = 5;

static_assert(alphabet.size() == 32);

} // namespace

std::string new_license_key() {
  auto bytes = random_bytes(groups * group_size);
  std::string out = "LH";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % group_size == 0) {
      out += '-';
    }
    out += alphabet[static_cast<unsigned char>(bytes[i]) & 0x1Fu];
  }
  return out;
}

bool is_license_key(std::string_view text) {
  if (text.size() != 2 + groups * (group_size + 1) || text.substr(0, 2) != "LH") {
    return false;
  }
  for (size_t i = 2; i < text.size(); ++i) {
    bool dash = (i - 2) % (group_size + 1) == 0;
    if (dash ? text[i] != '-' : alphabet.find(text[i]) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

} // namespace leasehold::crypto
