#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <thread>
#include <vector>

namespace leasehold::edge {

/// One io_context per I/O thread. A connection lives on one context for its whole life, so
/// its handlers never run concurrently and need no strand (a strand costs a lock and a
/// type-erased executor copy per operation).
class io_context_pool {
public:
  using executor_type = boost::asio::io_context::executor_type;

  explicit io_context_pool(size_t size);
  ~io_context_pool();

  io_context_pool(const io_context_pool&) = delete;
  io_context_pool& operator=(const io_context_pool&) = delete;

  size_t size() const { return contexts_.size(); }

  boost::asio::io_context& at(size_t index) { return *contexts_[index]; }

  /// Starts one thread per context. Thread i runs only on the CPUs `cpus[i]` when given (on
  /// any CPU when not, or when that set cannot be used).
  void run(const std::vector<std::vector<int>>& cpus = {});

  /// Stops every context and joins the threads. Idempotent.
  void stop();

private:
  using work_guard = boost::asio::executor_work_guard<executor_type>;

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<work_guard> guards_;
  std::vector<std::thread> threads_;
};

} // namespace leasehold::edge
