#pragma once

#include "edge/request_context.hpp"

#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <functional>

namespace leasehold::edge {

/// A small thread pool for CPU-heavy work (scrypt) so that it never runs on an I/O thread
/// or a CAF worker.
class blocking_pool {
public:
  /// `threads` == 0: one per hardware thread.
  explicit blocking_pool(size_t threads = 0);
  ~blocking_pool();

  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  /// Runs `work` on the pool, then `then_on_session` on the session's executor of `ctx`.
  void run(const context_ptr& ctx, std::function<void()> work,
           std::function<void()> then_on_session);

  /// Runs `work` on the pool (no completion hop).
  void post(std::function<void()> work);

  /// Waits for queued work and joins the threads (idempotent).
  void stop();

private:
  boost::asio::thread_pool pool_;
  bool stopped_ = false;
};

} // namespace leasehold::edge
