#pragma once

#include <cstddef>
#include <string>

namespace leasehold::crypto {

/// `n` bytes from OpenSSL's CSPRNG. Aborts if the generator fails: without randomness no
/// secret the server makes could be trusted.
std::string random_bytes(size_t n);

/// A random (version 4) UUID in lower-case text, e.g. "3f2b9c1e-...".
std::string new_uuid();

/// `bytes16` (16 bytes) as a version 4 UUID: the version and variant bits are overwritten.
std::string format_uuid_v4(const unsigned char* bytes16);

} // namespace leasehold::crypto
