#pragma once

#include "actors/caller.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace leasehold::edge {

/// What a verified access token says, minus the token text itself.
struct bearer {
  caller who;
  std::string jti;
  int64_t expires_at = 0; // unix seconds
};

/// Immutable and shared: the token cache and every request that presents the token hold the
/// same one, so a request copies no claims.
using bearer_ptr = std::shared_ptr<const bearer>;

} // namespace leasehold::edge
