#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace leasehold::edge {

class http_session;

/// Enforces the connection timeouts of one io_context by looking at every connection's
/// deadline a few times per second. A timer armed per read and write (what beast's
/// tcp_stream does) costs a timer-queue update and a cancellation per operation; a sweep costs
/// one check per connection per tick. Lives on its context's thread only.
class connection_sweeper {
public:
  connection_sweeper(boost::asio::io_context& ioc, std::chrono::milliseconds interval);

  /// Watches `session` until it is gone. Call on the context's thread.
  void add(const std::shared_ptr<http_session>& session);

  /// Stops watching `session` (it moves to another context). Call on the context's thread.
  void remove(const http_session* session);

  /// Arms the first tick.
  void start();

private:
  void tick();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  std::vector<std::weak_ptr<http_session>> sessions_;
};

} // namespace leasehold::edge
