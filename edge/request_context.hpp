#pragma once

#include "actors/caller.hpp"
#include "actors/errc.hpp"
#include "edge/bearer.hpp"

#include <caf/error.hpp>
#include <caf/optional.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>

namespace google::protobuf {
class Message;
} // namespace google::protobuf

namespace leasehold::edge {

namespace http = boost::beast::http;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

/// One HTTP request on its way through a handler. A handler answers it once with `answer`,
/// from any thread; the session writes the response on its own executor.
struct request_context {
  request_context() = default;
  request_context(const request_context&) = delete;
  request_context& operator=(const request_context&) = delete;

  /// Answers `500 internal` if no handler answered: a request dropped by mistake must not
  /// leave its client waiting.
  ~request_context();

  http_request req;
  std::string request_id;
  std::string client_address;
  std::map<std::string, std::string> path_params; // `{id}` in the route pattern -> "id"
  std::map<std::string, std::string> query;       // decoded query parameters
  bearer_ptr auth;                                // set for routes that need a bearer
  boost::asio::any_io_executor executor;          // the session's io_context (one thread)
  std::function<void(http_response)> respond;     // the session's: hands the response over
  std::atomic<bool> answered{false};

  /// Answers the request: the first answer goes to `respond`, a second one (a handler bug)
  /// is dropped.
  void answer(http_response res);

  /// Asks the session to answer `request_timeout` unless a response came within `timeout`.
  void answer_within(std::chrono::nanoseconds timeout) {
    auto by = std::chrono::steady_clock::now() + timeout;
    answer_by.store(by.time_since_epoch().count(), std::memory_order_relaxed);
  }

  /// The deadline set by `answer_within` (steady clock ticks), or none.
  std::atomic<std::chrono::steady_clock::rep> answer_by{
    std::numeric_limits<std::chrono::steady_clock::rep>::max()};
};

using context_ptr = std::shared_ptr<request_context>;

/// Answers with `status` and `body` serialized through Protobuf's JSON mapping
/// (snake_case names, enums lower case as the API wants).
void reply_json(const context_ptr& ctx, http::status status, const google::protobuf::Message& body);

/// Answers with a raw JSON text (already serialized).
void reply_json_text(const context_ptr& ctx, http::status status, std::string json);

/// Answers 204 No Content.
void reply_no_content(const context_ptr& ctx);

/// Answers with the API's error shape for `err` (translated once, in `to_http_status`).
void reply_error(const context_ptr& ctx, const caf::error& err);

/// Answers with the API's error shape for `code` and a human-readable `message`.
void reply_error(const context_ptr& ctx, errc code, std::string message);

/// An error handler for `actor_bridge::ask` that answers with the API's error shape. (Passed
/// explicitly: with message arguments, `ask` without one would take the first as handler.)
inline auto reply_error_to(const context_ptr& ctx) {
  return [ctx](const caf::error& err) { reply_error(ctx, err); };
}

/// Parses the request body strictly into `out` (API.md: snake_case names only, no unknown
/// fields, numbers as JSON numbers, required strings non-empty is the handler's check).
/// On failure it has already answered 400 `bad_request` and returns false.
bool parse_body(const context_ptr& ctx, google::protobuf::Message& out);

/// Runs `fn` on the session's executor (hop back onto its I/O thread).
void post_to(const context_ptr& ctx, std::function<void()> fn);

} // namespace leasehold::edge
