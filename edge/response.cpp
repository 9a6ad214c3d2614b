#include "edge/response.hpp"

#include "edge/proto_to_json.hpp"
#include "edge/request_id.hpp"
#include "edge/response_head.hpp"

#include <caf/sec.hpp>

#include <boost/asio/post.hpp>

#include "leasehold/api/v1/common.pb.h"

#include <iostream>
#include <utility>

namespace leasehold::edge {

namespace {

// Seconds a `rate_limited` answer asks for when the caller gave none.
constexpr uint32_t default_rate_limit_retry_after = 60;

http_response make_json_response(http::status status, std::string body) {
  http_response res{status, 11};
  res.set(http::field::content_type, json_content_type);
  res.body() = std::move(body);
  return res; // the session sets Content-Length when it writes the answer
}

std::string to_json(const google::protobuf::Message& msg) {
  // Zero counts and empty lists are part of the API's shapes; unset proto3 `optional` fields
  // are left out (that is how the API's nullable fields are written).
  std::string out;
  out.reserve(1024); // most answers fit in one allocation
  if (auto err = append_json(msg, out)) {
    // Never send half a body.
    std::cerr << "reply_json: cannot serialize " << msg.GetTypeName() << ": " << *err << std::endl;
    return {};
  }
  return out;
}

const char* default_message(errc code) {
  switch (code) {
  case errc::bad_request:
    return "the request is malformed";
  case errc::unauthorized:
    return "missing or invalid credentials";
  case errc::forbidden:
    return "the caller's role does not allow this";
  case errc::not_found:
    return "not found";
  case errc::method_not_allowed:
    return "method not allowed";
  case errc::session_not_found:
    return "the session does not exist or has ended";
  case errc::conflict:
    return "the object exists already";
  case errc::license_expired:
    return "the license has expired";
  case errc::license_suspended:
    return "the license is suspended";
  case errc::license_cancelled:
    return "the license is cancelled";
  case errc::no_seats_available:
    return "all seats of the license are in use";
  case errc::rate_limited:
    return "too many requests";
  case errc::invalid_signature:
    return "the webhook signature is missing, wrong or too old";
  case errc::unavailable:
    return "the system of record is unreachable, try again later";
  case errc::payload_too_large:
    return "the request body is too large";
  case errc::internal:
    return "internal error";
  }
  return "error";
}

http_response error_response(errc code, std::string_view message, std::string_view request_id,
                             const seat_denial* denial, uint32_t retry_after) {
  api::v1::ErrorBody body;
  body.set_error(to_string(code));
  body.set_message(message.empty() ? default_message(code) : std::string{message});
  body.set_request_id(std::string{request_id});
  if (denial != nullptr) {
    body.set_seats_used(denial->seats_used);
    body.set_seats_total(denial->seats_total);
    body.set_overdraft_seats(denial->overdraft_seats);
    body.set_retry_after(denial->retry_after);
    retry_after = denial->retry_after;
  }
  auto res = make_json_response(to_http_status(code), to_json(body));
  if (retry_after > 0 || code == errc::no_seats_available || code == errc::rate_limited ||
      code == errc::unavailable) {
    if (retry_after == 0) {
      retry_after = code == errc::unavailable    ? unavailable_retry_after
                    : code == errc::rate_limited ? default_rate_limit_retry_after
                                                 : 1;
    }
    res.set(http::field::retry_after, std::to_string(retry_after));
  }
  res.set(request_id_header, request_id);
  return res;
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

} // namespace

http::status to_http_status(errc code) {
  switch (code) {
  case errc::bad_request:
  case errc::invalid_signature:
    return http::status::bad_request;
  case errc::unauthorized:
    return http::status::unauthorized;
  case errc::forbidden:
  case errc::license_expired:
  case errc::license_suspended:
  case errc::license_cancelled:
    return http::status::forbidden;
  case errc::not_found:
  case errc::session_not_found:
    return http::status::not_found;
  case errc::method_not_allowed:
    return http::status::method_not_allowed;
  case errc::conflict:
    return http::status::conflict;
  case errc::no_seats_available:
  case errc::rate_limited:
    return http::status::too_many_requests;
  case errc::unavailable:
    return http::status::service_unavailable;
  case errc::payload_too_large:
    return http::status::payload_too_large;
  case errc::internal:
    return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

http::status to_http_status(const caf::error& err) {
  if (err.category() == errc_category) {
    return to_http_status(static_cast<errc>(err.code()));
  }
  if (err == caf::sec::request_timeout) {
    return http::status::service_unavailable;
  }
  return http::status::internal_server_error;
}

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (auto c : id) {
    if (!is_id_char(c)) {
      return false;
    }
  }
  return true;
}

std::string request_id_for(const http_request& req) {
  auto i = req.find(request_id_header);
  if (i != req.end()) {
    auto value = i->value();
    std::string_view id{value.data(), value.size()};
    if (is_sane_request_id(id)) {
      return std::string{id};
    }
  }
  return new_request_id();
}

void request_context::answer(http_response res) {
  if (answered.exchange(true)) {
    std::cerr << "request " << request_id << ": second answer dropped" << std::endl;
    return;
  }
  respond(std::move(res));
}

request_context::~request_context() {
  if (respond && !answered.load()) {
    std::cerr << "request " << request_id << ": dropped without an answer" << std::endl;
    answer(make_error_response(errc::internal, "", request_id));
  }
}

http_response make_error_response(errc code, std::string_view message,
                                  std::string_view request_id) {
  return error_response(code, message, request_id, nullptr, 0);
}

void reply_json(const context_ptr& ctx, http::status status,
                const google::protobuf::Message& body) {
  ctx->answer(make_json_response(status, to_json(body)));
}

void reply_json_text(const context_ptr& ctx, http::status status, std::string json) {
  ctx->answer(make_json_response(status, std::move(json)));
}

void reply_no_content(const context_ptr& ctx) {
  http_response res{http::status::no_content, 11};
  res.set(http::field::content_type, json_content_type);
  ctx->answer(std::move(res));
}

void reply_error(const context_ptr& ctx, errc code, std::string message) {
  ctx->answer(error_response(code, message, ctx->request_id, nullptr, 0));
}

void reply_error(const context_ptr& ctx, errc code, std::string message, uint32_t retry_after) {
  ctx->answer(error_response(code, message, ctx->request_id, nullptr, retry_after));
}

void reply_error(const context_ptr& ctx, const caf::error& err) {
  if (err.category() == errc_category) {
    auto code = static_cast<errc>(err.code());
    auto message = error_message(err);
    if (code == errc::no_seats_available) {
      auto denial = error_seat_denial(err);
      ctx->answer(error_response(code, message, ctx->request_id, &denial, 0));
      return;
    }
    ctx->answer(error_response(code, message, ctx->request_id, nullptr, 0));
    return;
  }
  if (err == caf::sec::request_timeout) {
    ctx->answer(error_response(errc::unavailable, "the system did not answer in time",
                               ctx->request_id, nullptr, 0));
    return;
  }
  // Details of internal failures stay in the log, not in the answer.
  std::cerr << "request " << ctx->request_id << ": internal error: " << to_string(err) << std::endl;
  ctx->answer(error_response(errc::internal, "", ctx->request_id, nullptr, 0));
}

void post_to(const context_ptr& ctx, std::function<void()> fn) {
  boost::asio::post(ctx->executor, std::move(fn));
}

} // namespace leasehold::edge
