#include "edge/io_context_pool.hpp"

namespace leasehold::edge {

io_context_pool::io_context_pool(size_t size) {
  for (size_t i = 0; i < std::max<size_t>(size, 1); ++i) {
    // Concurrency hint 1: each context is run by exactly one thread.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

io_context_pool::~io_context_pool() { stop(); }

void io_context_pool::run() {
  for (auto& ctx : contexts_) {
    threads_.emplace_back([&ioc = *ctx] { ioc.run(); });
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
