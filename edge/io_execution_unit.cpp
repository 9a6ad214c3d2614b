#include "edge/io_execution_unit.hpp"

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <utility>

namespace leasehold::edge {

io_execution_unit::io_execution_unit(caf::actor_system& sys, std::function<void()> post_run)
    : caf::execution_unit(&sys), post_run_(std::move(post_run)) {
  // nop
}

io_execution_unit::~io_execution_unit() { hand_back(); }

void io_execution_unit::exec_later(caf::resumable* job) {
  if (handed_back_) {
    system().scheduler().enqueue(job);
    return;
  }
  ready_.push_back(job);
  request_run();
}

void io_execution_unit::request_run() {
  if (!run_posted_) {
    run_posted_ = true;
    post_run_();
  }
}

void io_execution_unit::run_ready() {
  run_posted_ = false;
  for (size_t runs = 0; runs < max_jobs && !ready_.empty(); ++runs) {
    auto* job = ready_.front();
    ready_.pop_front();
    switch (job->resume(this, max_messages)) {
    case caf::resumable::resume_later:
      busy_.push_back(job); // more mail: in the next round, after the sockets
      break;
    case caf::resumable::awaiting_message:
    case caf::resumable::done:
    case caf::resumable::shutdown_execution_unit:
      // The actor is idle or gone: whoever wakes it next schedules it again.
      intrusive_ptr_release(job);
      break;
    }
  }
  ready_.insert(ready_.end(), busy_.begin(), busy_.end());
  busy_.clear();
  if (!ready_.empty()) {
    request_run();
  }
}

void io_execution_unit::hand_back() {
  handed_back_ = true;
  while (!ready_.empty()) {
    system().scheduler().enqueue(ready_.front());
    ready_.pop_front();
  }
}

} // namespace leasehold::edge
