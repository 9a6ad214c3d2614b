#pragma once

#include <caf/optional.hpp>

#include <string>
#include <string_view>

namespace leasehold::crypto {

/// Base64 with the URL and file name safe alphabet (RFC 4648 section 5), without padding,
/// as JWS uses it.
std::string base64url_encode(std::string_view bytes);

/// Decodes unpadded base64url. Anything else is refused: padding, characters outside the
/// URL alphabet (including the standard `+` and `/`), a length of 1 modulo 4, and
/// non-canonical encodings whose unused trailing bits are not zero (so that one byte string
/// has exactly one text form).
caf::optional<std::string> base64url_decode(std::string_view text);

} // namespace leasehold::crypto
