#pragma once

#include <random>
#include <string>

namespace leasehold {

/// A random (version 4) UUID in lower-case text, e.g. `4f1c...-4...-a...`, drawn from `rng`.
std::string make_uuid(std::mt19937_64& rng);

/// A random UUID from a per-thread engine seeded from `std::random_device`; session ids.
std::string new_session_id();

} // namespace leasehold
