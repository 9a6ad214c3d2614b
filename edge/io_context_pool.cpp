#include "edge/io_context_pool.hpp"

#include "edge/cpu_affinity.hpp"

namespace leasehold::edge {

io_context_pool::io_context_pool(size_t size) {
  for (size_t i = 0; i < std::max<size_t>(size, 1); ++i) {
    // Concurrency hint 1: each context is run by exactly one thread.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

io_context_pool::~io_context_pool() { stop(); }

void io_context_pool::run(const std::vector<std::vector<int>>& cpus) {
  for (size_t i = 0; i < contexts_.size(); ++i) {
    auto mine = i < cpus.size() ? cpus[i] : std::vector<int>{};
    threads_.emplace_back([&ioc = *contexts_[i], mine = std::move(mine)] {
      if (!mine.empty()) {
        pin_this_thread(mine);
      }
      ioc.run();
    });
  }
}

void io_context_pool::stop() {
  guards_.clear();
  for (auto& ctx : contexts_) {
    ctx->stop();
  }
  for (auto& t : threads_) {
    t.join();
  }
  threads_.clear();
}

} // namespace leasehold::edge
