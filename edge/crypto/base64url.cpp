#include "edge/crypto/base64url.hpp"

#include <openssl/evp.h>

#include <limits>

namespace leasehold::crypto {

namespace {

bool is_url_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

} // namespace

std::string base64url_encode(std::string_view bytes) {
  if (bytes.empty()) {
    return {};
  }
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0'); // EVP_EncodeBlock adds a NUL
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(bytes.data()),
                           static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (auto& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

caf::optional<std::string> base64url_decode(std::string_view text) {
  if (text.empty()) {
    return std::string{};
  }
  if (text.size() % 4 == 1 ||
      text.size() > static_cast<size_t>(std::numeric_limits<int>::max() / 2)) {
    return caf::none;
  }
  std::string standard;
  standard.reserve(text.size() + 3);
  for (auto c : text) {
    if (!is_url_alphabet(c)) {
      return caf::none;
    }
    standard += c == '-' ? '+' : (c == '_' ? '/' : c);
  }
  size_t padding = (4 - text.size() % 4) % 4;
  standard.append(padding, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  auto n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(standard.data()),
                           static_cast<int>(standard.size()));
  if (n < 0 || static_cast<size_t>(n) != out.size()) {
    return caf::none;
  }
  // EVP_DecodeBlock decodes the padding as zero bytes: drop them.
  out.resize(out.size() - padding);
  // Reject encodings with non-zero unused bits: they decode to the same bytes as the
  // canonical text and would let one token have several spellings.
  if (base64url_encode(out) != text) {
    return caf::none;
  }
  return out;
}

} // namespace leasehold::crypto
