#include "actors/errc.hpp"

#include <caf/message.hpp>

namespace leasehold {

const char* to_string(errc x) {
  switch (x) {
  case errc::bad_request:
    return "bad_request";
  case errc::unauthorized:
    return "unauthorized";
  case errc::forbidden:
    return "forbidden";
  case errc::not_found:
    return "not_found";
  case errc::method_not_allowed:
    return "method_not_allowed";
  case errc::session_not_found:
    return "session_not_found";
  case errc::conflict:
    return "conflict";
  case errc::license_expired:
    return "license_expired";
  case errc::license_suspended:
    return "license_suspended";
  case errc::license_cancelled:
    return "license_cancelled";
  case errc::no_seats_available:
    return "no_seats_available";
  case errc::rate_limited:
    return "rate_limited";
  case errc::invalid_signature:
    return "invalid_signature";
  case errc::unavailable:
    return "unavailable";
  case errc::payload_too_large:
    return "payload_too_large";
  case errc::internal:
    return "internal";
  }
  return "internal";
}

caf::error make_error(errc x, std::string message) {
  return {static_cast<uint8_t>(x), errc_category, caf::make_message(std::move(message))};
}

caf::error make_error(errc x) { return {static_cast<uint8_t>(x), errc_category}; }

caf::error make_no_seats_error(std::string message, const seat_denial& denial) {
  return {static_cast<uint8_t>(errc::no_seats_available), errc_category,
          caf::make_message(std::move(message), denial.seats_used, denial.seats_total,
                            denial.overdraft_seats, denial.retry_after)};
}

bool is_errc(const caf::error& err, errc x) {
  return err.category() == errc_category && err.code() == static_cast<uint8_t>(x);
}

std::string error_message(const caf::error& err) {
  const auto& ctx = err.context();
  if (err.category() == errc_category && !ctx.empty() && ctx.match_element<std::string>(0)) {
    return ctx.get_as<std::string>(0);
  }
  return {};
}

seat_denial error_seat_denial(const caf::error& err) {
  const auto& ctx = err.context();
  if (!is_errc(err, errc::no_seats_available) ||
      !ctx.match_elements<std::string, uint32_t, uint32_t, uint32_t, uint32_t>()) {
    return {};
  }
  return {ctx.get_as<uint32_t>(1), ctx.get_as<uint32_t>(2), ctx.get_as<uint32_t>(3),
          ctx.get_as<uint32_t>(4)};
}

} // namespace leasehold
