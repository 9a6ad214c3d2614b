#pragma once

#include <cstddef>
#include <string>

namespace leasehold::crypto {

/// `n` bytes from OpenSSL's CSPRNG. Aborts if the generator fails: without randomness no
/// secret the server makes could be trusted.
std::string random_bytes(size_t n);

/// A random (version 4) UUID in lower-case text, e.g. "3f2b9c1e-...".
std::string new_uuid();

} // namespace leasehold::crypto
