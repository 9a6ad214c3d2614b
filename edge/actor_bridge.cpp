#include "edge/actor_bridge.hpp"

#include <caf/send.hpp>

namespace leasehold::edge {

namespace {

caf::behavior bridge_actor(bridge_actor_ptr self, size_t /* shard index */) {
  self->set_default_handler(caf::print_and_drop);
  return {
    [=](bridge_job& job) { job(self); },
  };
}

} // namespace

actor_bridge::actor_bridge(caf::actor_system& sys, caf::timespan timeout, size_t shards)
    : timeout_(timeout) {
  for (size_t i = 0; i < shards; ++i) {
    shards_.push_back(sys.spawn(bridge_actor, i));
  }
}

actor_bridge::~actor_bridge() {
  for (auto& shard : shards_) {
    caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
  }
}

void actor_bridge::run(bridge_job job) {
  auto i = next_.fetch_add(1, std::memory_order_relaxed) % shards_.size();
  caf::anon_send(shards_[i], std::move(job));
}

} // namespace leasehold::edge
