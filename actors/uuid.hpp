#pragma once

#include <caf/optional.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace leasehold {

/// A random (version 4) UUID in lower-case text, e.g. `4f1c...-4...-a...`, drawn from `rng`.
std::string make_uuid(std::mt19937_64& rng);

/// A random UUID from a per-thread engine seeded from `std::random_device`; session ids.
std::string new_session_id();

/// The 128 bits of a UUID: a map key that needs no heap string, so that a lookup touches one
/// node instead of a node and its key's text.
struct uuid_bits {
  uint64_t high = 0;
  uint64_t low = 0;

  friend bool operator==(const uuid_bits& x, const uuid_bits& y) {
    return x.high == y.high && x.low == y.low;
  }
};

/// Hashes uuid_bits. Ids are random (version 4), so mixing the halves is enough.
struct uuid_bits_hash {
  size_t operator()(const uuid_bits& x) const {
    return static_cast<size_t>(x.high ^ (x.low * 0x9E3779B97F4A7C15u));
  }
};

/// The bits of `text` in the UUID text form (8-4-4-4-12 hex digits, either case); none for
/// anything else.
caf::optional<uuid_bits> parse_uuid(std::string_view text);

/// True if `text` is a UUID in that form: what the edge checks before an id names anything, and
/// persistence before text goes into a `uuid` parameter (PostgreSQL would refuse it).
inline bool is_uuid(std::string_view text) { return static_cast<bool>(parse_uuid(text)); }

} // namespace leasehold
