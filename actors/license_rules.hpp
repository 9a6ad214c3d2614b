#pragma once

#include "actors/license.hpp"
#include "actors/seat_ledger.hpp"
#include "actors/seat_messages.hpp"

#include <caf/error.hpp>
#include <caf/timestamp.hpp>

#include <map>
#include <string>

namespace leasehold {

/// The product an acquire without one asks for.
constexpr const char* default_product = "default";

/// True if a license in `status` grants seats (`trial` acquires like `active`).
bool is_acquirable(license_status status);

/// None if the license grants seats at `now`, else `license_expired`, `license_suspended` or
/// `license_cancelled` with a message naming the license.
caf::error check_acquirable(const license_terms& terms, caf::timestamp now);

/// None if the timing terms hold (`session_ttl >= 2`, `1 <= heartbeat_interval < session_ttl`),
/// else `bad_request` saying which one is broken.
caf::error validate_terms(const license_terms& terms);

/// The license an acquire uses: `req.license_id` if given; else the active (or trial) license
/// for the requested product; else, for the default product, the tenant's only active
/// license. When only refusing licenses match, one of them is chosen so that the caller learns
/// why (suspended, ...). Null: no such license in this tenant (`not_found`).
seat_ledger* select_license(std::map<std::string, seat_ledger>& ledgers, const acquire_request& req,
                            caf::timestamp now);

} // namespace leasehold
