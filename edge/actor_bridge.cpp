#include "edge/actor_bridge.hpp"

#include <caf/spawn_options.hpp>

#include <algorithm>
#include <stdexcept>

namespace leasehold::edge {

actor_bridge::actor_bridge(caf::actor_system& sys, caf::timespan timeout)
    : sys_(sys), timeout_(timeout) {}

actor_bridge::~actor_bridge() {
  for (auto& companion : companions_) {
    io_companion::of(companion).shut_down();
  }
}

boost::asio::io_context& actor_bridge::io_context_of(const context_ptr& ctx) {
  // Sessions run on an io_context each (io_context_pool); nothing else asks.
  auto* ex = ctx->executor.target<boost::asio::io_context::executor_type>();
  if (ex == nullptr) {
    throw std::logic_error("actor_bridge: the request's executor is not an io_context's");
  }
  return ex->context();
}

io_companion& actor_bridge::companion_for(boost::asio::io_context& io) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i =
    std::find_if(companions_.begin(), companions_.end(), [&io](const caf::strong_actor_ptr& c) {
      return &io_companion::of(c).io() == &io;
    });
  if (i != companions_.end() && io_companion::of(*i).running()) {
    return io_companion::of(*i);
  }
  // Hidden: the actor system does not wait for companions; the bridge ends them.
  auto spawned =
    caf::actor_cast<caf::strong_actor_ptr>(sys_.spawn<io_companion, caf::hidden>(std::ref(io)));
  if (i != companions_.end()) {
    *i = std::move(spawned); // the thread's companion ended (a callback threw)
    return io_companion::of(*i);
  }
  companions_.push_back(std::move(spawned));
  return io_companion::of(companions_.back());
}

} // namespace leasehold::edge
