#pragma once

#include <string>
#include <string_view>

namespace leasehold::crypto {

/// A new random license key, `LH-XXXXX-XXXXX-XXXXX-XXXXX`: 20 characters of 5 bits each
/// (100 random bits) from an alphabet without look-alikes (no 0, O, 1, I).
std::string new_license_key();

/// True iff `text` has the exact shape `new_license_key` produces.
bool is_license_key(std::string_view text);

} // namespace leasehold::crypto
