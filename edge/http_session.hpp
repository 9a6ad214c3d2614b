#pragma once

#include "edge/connection_placement.hpp"
#include "edge/metrics.hpp"
#include "edge/per_thread_counter.hpp"
#include "edge/request_context.hpp"
#include "edge/router.hpp"
#include "edge/tcp_socket.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

namespace leasehold::edge {

class connection_sweeper;
class http_session;

/// Limits of one connection (named constants of the server; tests may shrink them).
struct session_limits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 64 * 1024;
  std::chrono::seconds first_header_timeout{10}; // a new connection must send a request soon
  std::chrono::seconds idle_timeout{30};         // keep-alive: time until the next request
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds write_timeout{30};
};

/// State that all sessions of a server share.
struct session_shared {
  const router& routes;
  http_metrics& metrics;
  session_limits limits;
  std::atomic<bool> stopping{false}; // answer the current request, then close
  /// Set by the server: moves a session between requests to the context of the CPU its
  /// packets now arrive on; true if the session no longer goes on here (it moved and goes on
  /// there, or its socket closed on the way).
  std::function<bool(const std::shared_ptr<http_session>&)> relocate;
  per_thread_counter in_flight; // requests handed to handlers and not yet answered

  session_shared(const router& r, http_metrics& m, session_limits l)
      : routes(r), metrics(m), limits(l) {}
};

/// One HTTP/1.1 connection: read a request, hand it to the router, write the answer that the
/// handler posts back onto this connection's io_context, repeat while keep-alive. Never
/// blocks. All of a session's work runs on the one thread of its io_context.
class http_session : public std::enable_shared_from_this<http_session> {
public:
  using socket_type = tcp_socket;
  using clock = std::chrono::steady_clock;

  /// `slot` counts the connection on its context, number `context`, while the session lives.
  http_session(socket_type&& socket, std::shared_ptr<session_shared> shared,
               connection_slot slot = {}, size_t context = 0);
  ~http_session();

  /// Starts reading; `sweeper` enforces the timeouts. Call on the session's context.
  void start(connection_sweeper& sweeper);

  /// Closes the connection if the current read or write ran past its deadline.
  void expire_if_due(clock::time_point now);

  /// The number of the context that serves the connection.
  size_t context() const { return context_; }

  /// The CPU that received the connection's last packet, or -1.
  int incoming_cpu() { return edge::incoming_cpu(socket_); }

  /// Binds the connection to `ioc` (context number `context`, counted by `slot`). Call
  /// between requests on the old context's thread, then `start` on the new one. False if the
  /// socket could not move (it is closed then).
  bool move_to(boost::asio::io_context& ioc, size_t context, connection_slot slot);

private:
  using parser_type = http::request_parser<http::string_body>;

  void do_read();
  void on_header(boost::beast::error_code ec, size_t bytes);
  void read_body();
  void on_body(boost::beast::error_code ec, size_t bytes);
  void on_read_error(boost::beast::error_code ec);
  void handle_request();
  void on_response(http_response res);
  void write(http_response res, bool close);
  void on_write(bool close, boost::beast::error_code ec, size_t bytes);
  void do_close();

  template <class Duration> void expires_after(Duration d) { deadline_ = clock::now() + d; }

  socket_type socket_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<session_shared> shared_;
  connection_slot slot_;
  size_t context_;
  uint64_t answered_ = 0; // requests answered on this connection
  std::optional<parser_type> parser_;
  std::weak_ptr<request_context> handling_; // the request a handler works on
  http_response res_;                       // the answer being written
  std::string head_;                        // its status line and headers (reused)
  std::string client_address_;
  std::string request_id_; // X-Request-ID of the request in flight
  std::string route_;      // pattern of the request in flight (metrics label)
  clock::time_point started_;
  clock::time_point deadline_ = clock::time_point::max(); // of the read or write under way
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool first_request_ = true;
  bool head_only_ = false;   // answering HEAD: no body on the wire
  bool dispatching_ = false; // inside the router: an answer must wait for dispatch to end
};

} // namespace leasehold::edge
