#pragma once

#include "edge/request_context.hpp"

#include <caf/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace leasehold::edge {

/// The HTTP status of `err`: the one errc -> status table of the API (`no_seats_available`
/// -> 429, ...); `caf::sec::request_timeout` -> 503; anything else -> 500.
http::status to_http_status(const caf::error& err);

/// The HTTP status of an errc.
http::status to_http_status(errc code);

/// Answers with the API's error shape and a `Retry-After: retry_after` header
/// (`rate_limited`, `unavailable`).
void reply_error(const context_ptr& ctx, errc code, std::string message, uint32_t retry_after);

/// A response with the API's error body for `code`, without sending it (the HTTP session
/// uses this for errors it answers before any handler runs).
http_response make_error_response(errc code, std::string_view message, std::string_view request_id);

/// True if `id` may be echoed as X-Request-ID: 1..128 characters of [A-Za-z0-9._-].
bool is_sane_request_id(std::string_view id);

/// The X-Request-ID for `req`: its own if sane, else a new UUID.
std::string request_id_for(const http_request& req);

/// Seconds that `unavailable` answers ask clients to wait.
constexpr uint32_t unavailable_retry_after = 5;

} // namespace leasehold::edge
