#pragma once

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <string>

namespace leasehold {

/// Refusals of the domain, named after the API's error codes. Numbers never change: they
/// cross nodes inside `caf::error` values.
enum class errc : uint8_t {
  bad_request = 1,
  unauthorized = 2,
  forbidden = 3,
  not_found = 4,
  method_not_allowed = 5,
  session_not_found = 6,
  conflict = 7,
  license_expired = 8,
  license_suspended = 9,
  license_cancelled = 10,
  no_seats_available = 11,
  rate_limited = 12,
  invalid_signature = 13,
  unavailable = 14,
  payload_too_large = 15,
  internal = 16,
};

/// The API's machine code for `x`, e.g. "no_seats_available".
const char* to_string(errc x);

/// The category atom of `errc` values inside `caf::error`.
constexpr caf::atom_value errc_category = caf::atom("leasehold");

/// An error with a human-readable message as its context (the API's `message` field).
caf::error make_error(errc x, std::string message);

/// An error with just the code; the edge picks a generic message.
caf::error make_error(errc x);

/// Seat figures that a `no_seats_available` refusal carries to the edge.
struct seat_denial {
  uint32_t seats_used = 0;
  uint32_t seats_total = 0;
  uint32_t overdraft_seats = 0;
  uint32_t retry_after = 0; // seconds
};

/// A `no_seats_available` error carrying `denial` after its message.
caf::error make_no_seats_error(std::string message, const seat_denial& denial);

/// The `errc` inside `err`, or none if `err` is of another category.
bool is_errc(const caf::error& err, errc x);

/// The human-readable message an `errc` error carries, or "" if none.
std::string error_message(const caf::error& err);

/// The seat figures of a `no_seats_available` error; zeros if it carries none.
seat_denial error_seat_denial(const caf::error& err);

} // namespace leasehold
