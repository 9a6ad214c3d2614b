#pragma once

#include "edge/request_context.hpp"

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leasehold::edge {

/// What a bridge actor remembers: for each route (e.g. a tenant id), the actor that answered
/// the last request that a forwarder (the tenant directory) handed on. Weak: a route to an
/// actor that is gone is simply forgotten.
struct bridge_state {
  std::unordered_map<std::string, caf::actor_addr> routes;
};

using bridge_actor_ptr = caf::stateful_actor<bridge_state>*;

/// Work that a bridge actor runs inside itself (issues a request and registers callbacks).
using bridge_job = std::function<void(bridge_actor_ptr)>;

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
    run([=](bridge_actor_ptr self) mutable {
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

  /// Like `ask_within`, for requests that `dest` only forwards, by `route`, to the actor that
  /// does the work (the tenant directory hands a tenant's requests to that tenant's actor).
  /// After a success, requests with the same route go straight to the actor that answered,
  /// saving the forwarder's hop; if that actor is gone, the request goes through `dest`
  /// again (which starts a new one). `route` must identify the target within `dest`.
  template <class Result, class Handle, class OnValue, class OnError, class... Ts>
  void ask_routed(caf::timespan timeout, const context_ptr& ctx, std::string route,
                  const Handle& dest, OnValue on_value, OnError on_error, Ts... xs) {
    ctx->answer_within(timeout);
    run([=](bridge_actor_ptr self) {
      routed_request<Result>(self, ctx, route, dest, on_value, on_error, xs...);
    });
  }

  /// How long `ask` waits for an answer.
  caf::timespan timeout() const { return timeout_; }

  /// Runs `job` inside one of the bridge actors.
  void run(bridge_job job);

private:
  template <class Result, class Handle, class OnValue, class OnError, class... Ts>
  static void routed_request(bridge_actor_ptr self, const context_ptr& ctx,
                             const std::string& route, const Handle& dest, OnValue on_value,
                             OnError on_error, const Ts&... xs) {
    auto& routes = self->state.routes;
    Handle target = dest;
    auto direct = false;
    if (auto i = routes.find(route); i != routes.end()) {
      if (auto known = caf::actor_cast<Handle>(caf::actor_cast<caf::strong_actor_ptr>(i->second))) {
        target = std::move(known);
        direct = true;
      } else {
        routes.erase(i); // gone
      }
    }
    self->request(target, caf::infinite, xs...)
      .then(
        [=](Result& value) mutable {
          if (!direct) {
            if (auto sender = self->current_sender()) {
              self->state.routes[route] = caf::actor_cast<caf::actor_addr>(sender);
            }
          }
          post_to(ctx, [on_value, value = std::move(value)]() mutable { on_value(value); });
        },
        [=](caf::error& err) mutable {
          if (direct && err == caf::sec::request_receiver_down) {
            // The actor ended between lookup and delivery: ask the forwarder.
            self->state.routes.erase(route);
            routed_request<Result>(self, ctx, route, dest, on_value, on_error, xs...);
            return;
          }
          post_to(ctx, [on_error, err = std::move(err)]() mutable { on_error(err); });
        });
  }

  caf::timespan timeout_;
  std::vector<caf::actor> shards_;
  std::atomic<size_t> next_{0};
};

} // namespace leasehold::edge
