#include "edge/http_session.hpp"

#include "edge/response.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <iostream>
#include <utility>

namespace leasehold::edge {

namespace beast = boost::beast;
namespace asio = boost::asio;

http_session::http_session(asio::ip::tcp::socket&& socket, std::shared_ptr<session_shared> shared)
    : stream_(std::move(socket)), shared_(std::move(shared)) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    client_address_ = ep.address().to_string();
  }
  shared_->metrics.connection_opened();
}

http_session::~http_session() { shared_->metrics.connection_closed(); }

void http_session::start() {
  // The socket was accepted onto a strand; run the first read there.
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
  if (shared_->stopping) {
    return do_close();
  }
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
  parser_->body_limit(shared_->limits.max_body_bytes);
  stream_.expires_after(first_request_ ? shared_->limits.first_header_timeout
                                       : shared_->limits.idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::on_header(beast::error_code ec, size_t) {
  if (ec) {
    return on_read_error(ec);
  }
  first_request_ = false;
  if (parser_->is_done()) {
    return handle_request();
  }
  const auto& req = parser_->get();
  auto expect = req[http::field::expect];
  if (beast::iequals(expect, "100-continue")) {
    // Clients such as curl wait for this before sending larger bodies.
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    stream_.expires_after(shared_->limits.write_timeout);
    http::async_write(stream_, *cont,
                      [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                        if (wec) {
                          return self->do_close();
                        }
                        self->read_body();
                      });
    return;
  }
  read_body();
}

void http_session::read_body() {
  stream_.expires_after(shared_->limits.body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_body, shared_from_this()));
}

void http_session::on_body(beast::error_code ec, size_t) {
  if (ec) {
    return on_read_error(ec);
  }
  handle_request();
}

void http_session::on_read_error(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
    return do_close();
  }
  // A malformed or oversized request: answer once in the API's error shape and close,
  // because the rest of the stream cannot be trusted to start at a message boundary.
  started_ = std::chrono::steady_clock::now();
  route_.clear();
  version_ = 11;
  keep_alive_ = false;
  auto id = parser_ ? request_id_for(parser_->get()) : std::string{};
  if (id.empty()) {
    id = request_id_for(http_request{});
  }
  http_response res;
  if (ec == http::error::body_limit) {
    res = make_error_response(errc::payload_too_large, "the request body exceeds 64 KiB", id);
  } else if (ec == http::error::header_limit) {
    res = make_error_response(errc::bad_request, "the request headers are too large", id);
  } else if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
    res = make_error_response(errc::bad_request, "malformed HTTP request", id);
  } else {
    return do_close(); // a socket error: nobody to answer
  }
  request_id_ = id;
  write(std::move(res), true);
}

void http_session::handle_request() {
  started_ = std::chrono::steady_clock::now();
  auto ctx = std::make_shared<request_context>();
  ctx->req = parser_->release();
  version_ = ctx->req.version();
  keep_alive_ = ctx->req.keep_alive();
  ctx->request_id = request_id_for(ctx->req);
  request_id_ = ctx->request_id;
  ctx->client_address = client_address_;
  ctx->executor = stream_.get_executor();
  // Exactly one answer per request, posted back onto this strand from whatever thread the
  // handler finished on; a second call is a handler bug and is dropped.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  ctx->respond = [self = shared_from_this(), answered](http_response res) {
    if (answered->exchange(true)) {
      std::cerr << "http: second answer to one request dropped" << std::endl;
      return;
    }
    auto exec = self->stream_.get_executor();
    asio::post(exec, [self = std::move(self), res = std::move(res)]() mutable {
      self->on_response(std::move(res));
    });
  };
  // No timeout while a handler works: an acquire may wait up to 60 s for a seat.
  stream_.expires_never();
  ++shared_->in_flight;
  route_ = std::string{shared_->routes.dispatch(ctx)};
}

void http_session::on_response(http_response res) {
  --shared_->in_flight;
  auto close = !keep_alive_ || shared_->stopping;
  write(std::move(res), close);
}

void http_session::write(http_response res, bool close) {
  res.version(version_);
  res.keep_alive(!close);
  if (res.find(http::field::content_type) == res.end()) {
    res.set(http::field::content_type, "application/json");
  }
  if (res.find("X-Request-ID") == res.end()) {
    res.set("X-Request-ID", request_id_);
  }
  res.prepare_payload();
  shared_->metrics.record(route_, res.result_int(), std::chrono::steady_clock::now() - started_);
  res_ = std::make_shared<http_response>(std::move(res));
  stream_.expires_after(shared_->limits.write_timeout);
  http::async_write(stream_, *res_,
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), close));
}

void http_session::on_write(bool close, beast::error_code ec, size_t) {
  res_.reset();
  if (ec || close) {
    return do_close();
  }
  do_read();
}

void http_session::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

} // namespace leasehold::edge
