#include "edge/http_session.hpp"

#include "edge/connection_sweeper.hpp"
#include "edge/response.hpp"
#include "edge/response_head.hpp"

#include <caf/sec.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <array>
#include <string_view>
#include <utility>

namespace leasehold::edge {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";

/// Every this many answers a connection looks up the CPU its packets arrive on (one
/// getsockopt) and follows its client to that CPU's context if the client moved.
constexpr uint64_t relocation_interval = 64;

} // namespace

http_session::http_session(socket_type&& socket, std::shared_ptr<session_shared> shared,
                           connection_slot slot, size_t context)
    : socket_(std::move(socket)), shared_(std::move(shared)), slot_(std::move(slot)),
      context_(context) {
  beast::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) {
    client_address_ = ep.address().to_string();
  }
  shared_->metrics.connection_opened();
}

http_session::~http_session() { shared_->metrics.connection_closed(); }

void http_session::start(connection_sweeper& sweeper) {
  sweeper.add(shared_from_this());
  do_read();
}

void http_session::expire_if_due(clock::time_point now) {
  if (auto ctx = handling_.lock()) {
    // A handler works on a request; it set a deadline if it waits for an actor.
    if (now.time_since_epoch().count() >= ctx->answer_by.load(std::memory_order_relaxed)) {
      ctx->answer_by = std::numeric_limits<clock::rep>::max();
      reply_error(ctx, caf::make_error(caf::sec::request_timeout));
    }
    return;
  }
  if (now >= deadline_) {
    deadline_ = clock::time_point::max();
    // Cancels the pending read or write; its handler sees operation_aborted and closes.
    do_close();
  }
}

void http_session::do_read() {
  if (shared_->stopping) {
    return do_close();
  }
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
  parser_->body_limit(shared_->limits.max_body_bytes);
  expires_after(first_request_ ? shared_->limits.first_header_timeout
                               : shared_->limits.idle_timeout);
  // Asio tries the read at once, which between requests often finds the socket empty. Waiting
  // for readability first saves that recv but costs an epoll_ctl instead (Asio re-arms the
  // descriptor for every wait), and measured worse: acquire+release p99 above 40 ms in some
  // runs (bench/RESULTS.md).
  http::async_read_header(socket_, buffer_, *parser_,
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
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    // Clients such as curl wait for this before sending larger bodies.
    expires_after(shared_->limits.write_timeout);
    asio::async_write(socket_, asio::buffer(continue_response.data(), continue_response.size()),
                      [self = shared_from_this()](beast::error_code wec, size_t) {
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
  expires_after(shared_->limits.body_timeout);
  http::async_read(socket_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_body, shared_from_this()));
}

void http_session::on_body(beast::error_code ec, size_t) {
  if (ec) {
    return on_read_error(ec);
  }
  handle_request();
}

void http_session::on_read_error(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == asio::error::bad_descriptor) {
    return do_close();
  }
  // A malformed or oversized request: answer once in the API's error shape and close,
  // because the rest of the stream cannot be trusted to start at a message boundary.
  started_ = clock::now();
  route_.clear();
  version_ = 11;
  keep_alive_ = false;
  head_only_ = false;
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
  started_ = clock::now();
  auto ctx = std::make_shared<request_context>();
  ctx->req = parser_->release();
  version_ = ctx->req.version();
  keep_alive_ = ctx->req.keep_alive();
  head_only_ = ctx->req.method() == http::verb::head;
  ctx->request_id = request_id_for(ctx->req);
  request_id_ = ctx->request_id;
  ctx->client_address = client_address_;
  ctx->executor = socket_.get_executor();
  // An answer given on this session's thread (an actor's reply, carried here by the bridge)
  // is written at once; from any other thread, or from inside the router, it is posted back
  // onto this session's context. `request_context::answer` lets only the first one through.
  ctx->respond = [self = shared_from_this()](http_response res) {
    auto exec = self->socket_.get_executor();
    if (exec.running_in_this_thread() && !self->dispatching_) {
      return self->on_response(std::move(res));
    }
    asio::post(exec, [self = std::move(self), res = std::move(res)]() mutable {
      self->on_response(std::move(res));
    });
  };
  // No timeout while a handler works: an acquire may wait up to 60 s for a seat.
  deadline_ = clock::time_point::max();
  shared_->in_flight.add(1);
  handling_ = ctx;
  dispatching_ = true;
  route_ = std::string{shared_->routes.dispatch(ctx)};
  dispatching_ = false;
}

void http_session::on_response(http_response res) {
  shared_->in_flight.add(-1); // on the thread that counted it
  handling_.reset();
  auto close = !keep_alive_ || shared_->stopping;
  write(std::move(res), close);
}

void http_session::write(http_response res, bool close) {
  res.version(version_);
  res.keep_alive(!close);
  shared_->metrics.record(route_, res.result_int(), clock::now() - started_);
  res_ = std::move(res);
  head_.clear();
  append_response_head(res_, request_id_, head_); // adds the type, id and length it lacks
  std::array<asio::const_buffer, 2> buffers{
    asio::buffer(head_), head_only_ ? asio::const_buffer{} : asio::buffer(res_.body())};
  expires_after(shared_->limits.write_timeout);
  asio::async_write(socket_, buffers,
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), close));
}

void http_session::on_write(bool close, beast::error_code ec, size_t) {
  res_ = {};
  if (ec || close) {
    return do_close();
  }
  if (++answered_ % relocation_interval == 0 && shared_->relocate &&
      shared_->relocate(shared_from_this())) {
    return; // goes on on its new context
  }
  do_read();
}

bool http_session::move_to(boost::asio::io_context& ioc, size_t context, connection_slot slot) {
  beast::error_code ec;
  socket_ = move_socket(ioc, std::move(socket_), ec);
  if (ec) {
    return false;
  }
  context_ = context;
  slot_ = std::move(slot);
  return true;
}

void http_session::do_close() {
  beast::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  socket_.close(ec);
}

} // namespace leasehold::edge
