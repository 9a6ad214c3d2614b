#pragma once

#include "edge/io_execution_unit.hpp"

#include <caf/actor_addr.hpp>
#include <caf/actor_companion.hpp>
#include <caf/mixin/requester.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <string>
#include <unordered_map>

namespace leasehold::edge {

/// The actor face of one I/O thread. Requests made on the thread leave from it, and their
/// answers come back to the thread (posted to its io_context), where their callbacks run.
/// So no actor stands between an HTTP session and the actor it asks, and an idle actor it
/// wakes runs on the same thread (io_execution_unit): a heartbeat never changes threads.
/// Only its I/O thread touches a companion, which needs no lock; other threads only enqueue
/// into it (CAF makes that thread-safe).
class io_companion
    : public caf::extend<caf::actor_companion, io_companion>::with<caf::mixin::requester> {
public:
  io_companion(caf::actor_config& cfg, boost::asio::io_context& io);

  /// The companion behind `ptr` (a handle of one).
  static io_companion& of(const caf::strong_actor_ptr& ptr);

  /// The context whose thread this companion belongs to.
  boost::asio::io_context& io() { return io_; }

  /// For each route (e.g. a tenant id), the actor that answered the last request a forwarder
  /// handed on (see `actor_bridge::ask_routed`). Weak: an actor that is gone is forgotten.
  std::unordered_map<std::string, caf::actor_addr> routes;

  /// False once the companion ended: shut down, or a callback threw (CAF ends an actor whose
  /// handler throws; the bridge then starts a new companion for the thread).
  bool running() const { return !ended_.load(std::memory_order_acquire); }

  /// Ends the companion: pending callbacks are dropped (their requests answer 500 when their
  /// contexts go), later answers are discarded. Call once its I/O thread has stopped.
  void shut_down();

private:
  // Runs one message (an answer) on the I/O thread.
  void handle(caf::mailbox_element& msg);

  boost::asio::io_context& io_;
  io_execution_unit unit_; // runs on the I/O thread the actors its sends wake
  bool closed_ = false;
  std::atomic<bool> ended_{false};
};

} // namespace leasehold::edge
