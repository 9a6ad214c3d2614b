#pragma once

#include "edge/request_context.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>

#include <atomic>
#include <functional>
#include <utility>
#include <vector>

namespace leasehold::edge {

/// Work that a bridge actor runs inside itself (issues a request and registers callbacks).
using bridge_job = std::function<void(caf::event_based_actor*)>;

} // namespace leasehold::edge

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(leasehold::edge::bridge_job)

namespace leasehold::edge {

/// Hands requests from I/O threads to actors without ever blocking an I/O thread. A few
/// long-lived bridge actors issue `request(...).then(...)`, so every HTTP request completes
/// exactly once: with the reply, the actor's error, or `request_timeout`. Callbacks run on
/// the session's executor, never on a CAF worker.
class actor_bridge {
public:
  actor_bridge(caf::actor_system& sys, caf::timespan timeout, size_t shards = 2);
  ~actor_bridge();

  actor_bridge(const actor_bridge&) = delete;
  actor_bridge& operator=(const actor_bridge&) = delete;

  /// Sends `xs...` to `dest`; on the reply calls `on_value(Result&)`, on any error (the actor's,
  /// or `request_timeout`) calls `on_error(const caf::error&)` — both on the session's executor.
  /// The error handler is explicit: with a single-callback overload, partial ordering would
  /// pick this one and take the first message element for the handler.
  template <class Result, class Handle, class OnValue, class OnError, class... Ts>
  void ask(const context_ptr& ctx, const Handle& dest, OnValue on_value, OnError on_error,
           Ts... xs) {
    ask_within<Result>(timeout_, ctx, dest, std::move(on_value), std::move(on_error),
                       std::move(xs)...);
  }

  /// Like `ask`, with its own `timeout` instead of the bridge's (an acquire that waits in a
  /// license's queue for up to 60 s must outlive the default). The timeout is the HTTP
  /// session's to enforce (`request_context::answer_within`): a CAF request timeout would
  /// cost a lock and a wake-up of CAF's clock thread per request.
  template <class Result, class Handle, class OnValue, class OnError, class... Ts>
  void ask_within(caf::timespan timeout, const context_ptr& ctx, const Handle& dest,
                  OnValue on_value, OnError on_error, Ts... xs) {
    ctx->answer_within(timeout);
    run([=](caf::event_based_actor* self) mutable {
      self->request(dest, caf::infinite, std::move(xs)...)
        .then(
          [ctx, on_value](Result& value) mutable {
            post_to(ctx, [on_value, value = std::move(value)]() mutable { on_value(value); });
          },
          [ctx, on_error](caf::error& err) mutable {
            post_to(ctx, [on_error, err = std::move(err)]() mutable { on_error(err); });
          });
    });
  }

  /// Runs `job` inside one of the bridge actors.
  void run(bridge_job job);

private:
  caf::timespan timeout_;
  std::vector<caf::actor> shards_;
  std::atomic<size_t> next_{0};
};

} // namespace leasehold::edge
