#include "edge/blocking_pool.hpp"

#include <boost/asio/post.hpp>

#include <exception>
#include <iostream>
#include <thread>
#include <utility>

namespace leasehold::edge {

namespace {

size_t pool_size(size_t threads) {
  if (threads > 0) {
    return threads;
  }
  auto n = std::thread::hardware_concurrency();
  return n > 0 ? n : 2;
}

} // namespace

blocking_pool::blocking_pool(size_t threads) : pool_(pool_size(threads)) {
  // nop
}

blocking_pool::~blocking_pool() { stop(); }

void blocking_pool::run(const context_ptr& ctx, std::function<void()> work,
                        std::function<void()> then_on_session) {
  boost::asio::post(pool_,
                    [ctx, work = std::move(work), then = std::move(then_on_session)]() mutable {
                      try {
                        work();
                      } catch (const std::exception& e) {
                        std::cerr << "request " << ctx->request_id
                                  << ": blocking work failed: " << e.what() << std::endl;
                        post_to(ctx, [ctx] { reply_error(ctx, errc::internal, ""); });
                        return;
                      }
                      post_to(ctx, std::move(then));
                    });
}

void blocking_pool::post(std::function<void()> work) { boost::asio::post(pool_, std::move(work)); }

void blocking_pool::stop() {
  if (!stopped_) {
    stopped_ = true;
    pool_.join();
  }
}

} // namespace leasehold::edge
