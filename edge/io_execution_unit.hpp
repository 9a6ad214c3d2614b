#pragma once

#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <vector>

namespace leasehold::edge {

/// Lets an I/O thread run the actors its own messages wake. An idle actor that an I/O thread
/// sends to (a tenant asked for a heartbeat) runs on that thread right after the current
/// handler, instead of being handed to a CAF worker that must be woken and must hand its
/// answer back: the request and its answer each skip a thread switch. CAF still runs each
/// actor on one thread at a time (only whoever wakes an actor schedules it), and actors that
/// block (the database's) are detached and never come here.
///
/// Only its I/O thread may use a unit, except `hand_back`, once that thread has stopped.
class io_execution_unit : public caf::execution_unit {
public:
  /// `post_run` must arrange one call of `run_ready` on the I/O thread.
  io_execution_unit(caf::actor_system& sys, std::function<void()> post_run);
  ~io_execution_unit() override;

  io_execution_unit(const io_execution_unit&) = delete;
  io_execution_unit& operator=(const io_execution_unit&) = delete;

  /// Takes an actor that became ready (with the reference the caller gave up for it).
  void exec_later(caf::resumable* job) override;

  /// Runs the ready actors, and the ones they wake, for at most `max_messages` messages each
  /// and `max_jobs` actors in all, so that the sockets get their turn; the rest runs in the
  /// next round.
  void run_ready();

  /// Hands every waiting actor to CAF's scheduler and sends later ones there too: the I/O
  /// thread has stopped.
  void hand_back();

  static constexpr size_t max_jobs = 64;
  static constexpr size_t max_messages = 32;

private:
  void request_run();

  std::function<void()> post_run_;
  std::deque<caf::resumable*> ready_;
  std::vector<caf::resumable*> busy_; // ran out of their share this round
  bool run_posted_ = false;
  bool handed_back_ = false;
};

} // namespace leasehold::edge
