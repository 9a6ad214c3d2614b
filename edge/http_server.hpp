#pragma once

#include "edge/connection_placement.hpp"
#include "edge/connection_sweeper.hpp"
#include "edge/http_session.hpp"
#include "edge/io_context_pool.hpp"
#include "edge/metrics.hpp"
#include "edge/router.hpp"

#include <caf/expected.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace leasehold::edge {

/// The HTTP/1.1 server: one acceptor, `threads` I/O threads with an io_context each; a
/// connection stays on the context chosen for it when it was accepted (connection_placement).
/// Must outlive everything that may still hold a request context (the actor system, the
/// blocking pool): contexts refer to its io_context.
class http_server {
public:
  http_server(const router& routes, session_limits limits = {});
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds to "HOST:PORT" (port 0 picks a free port) and starts `threads` I/O threads
  /// (0: one per usable CPU), each pinned to the CPUs whose connections it serves if
  /// `pin_threads`. Returns the bound endpoint.
  caf::expected<boost::asio::ip::tcp::endpoint> start(const std::string& listen, size_t threads = 0,
                                                      bool pin_threads = false);

  /// Stops accepting, lets requests in flight finish for up to `grace`, closes every
  /// connection and joins the I/O threads. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{3000});

  /// Request counters and latencies (for /metrics).
  http_metrics& metrics() { return metrics_; }

private:
  void do_accept();
  void on_accept(boost::system::error_code ec, http_session::socket_type socket);
  bool relocate(const std::shared_ptr<http_session>& session); // see session_shared::relocate
  void start_on(size_t context, std::shared_ptr<http_session> session); // on its thread

  http_metrics metrics_;
  std::shared_ptr<session_shared> shared_;
  std::unique_ptr<io_context_pool> pool_;
  std::unique_ptr<connection_placement> placement_;
  // Declared after the pool: timers and the acceptor go before their contexts.
  std::vector<std::unique_ptr<connection_sweeper>> sweepers_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  bool stopped_ = false;
};

/// Splits "HOST:PORT" ("[::1]:8080" for IPv6); false if malformed.
bool split_host_port(const std::string& listen, std::string& host, uint16_t& port);

} // namespace leasehold::edge
