#pragma once

#include "edge/io_companion.hpp"
#include "edge/request_context.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/make_message.hpp>
#include <caf/response_type.hpp>
#include <caf/sec.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace leasehold::edge {

/// Hands requests from I/O threads to actors without ever blocking an I/O thread. Each I/O
/// thread asks through its own `io_companion`, so every HTTP request completes exactly once:
/// with the reply, the actor's error, or the session's `request_timeout`. Callbacks run on
/// the session's executor, never on a CAF worker.
class actor_bridge {
public:
  actor_bridge(caf::actor_system& sys, caf::timespan timeout);
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
    on_session_thread(ctx, [=](io_companion& self) mutable {
      self.request(dest, caf::infinite, std::move(xs)...).then(on_value, on_error);
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
    // The message goes out as a prebuilt `caf::message`, so check here what `request` would.
    using answer = caf::response_type_t<caf::signatures_of_t<Handle>,
                                        typename caf::detail::implicit_conversions<Ts>::type...>;
    static_assert(std::is_same<answer, caf::detail::type_list<Result>>::value ||
                    std::is_same<answer, caf::message>::value,
                  "dest does not answer these arguments with Result");
    ctx->answer_within(timeout);
    using call_type = routed_call<OnValue, OnError>;
    auto call = std::make_shared<call_type>(
      call_type{std::move(route), caf::actor_cast<caf::actor>(dest),
                caf::make_message(std::move(xs)...), std::move(on_value), std::move(on_error)});
    on_session_thread(ctx, [call](io_companion& self) { routed_request<Result>(self, call); });
  }

  /// How long `ask` waits for an answer.
  caf::timespan timeout() const { return timeout_; }

private:
  // A routed request's parts, shared by its callbacks and a resend instead of copied into each:
  // the message is built once, and sending it again copies no argument.
  template <class OnValue, class OnError> struct routed_call {
    std::string route;
    caf::actor forwarder;
    caf::message msg;
    OnValue on_value;
    OnError on_error;
  };

  template <class Result, class Call>
  static void routed_request(io_companion& self, const std::shared_ptr<Call>& call) {
    auto& routes = self.routes;
    auto target = call->forwarder;
    auto direct = false;
    if (auto i = routes.find(call->route); i != routes.end()) {
      if (auto known =
            caf::actor_cast<caf::actor>(caf::actor_cast<caf::strong_actor_ptr>(i->second))) {
        target = std::move(known);
        direct = true;
      } else {
        routes.erase(i); // gone
      }
    }
    auto* companion = &self;
    self.request(target, caf::infinite, call->msg)
      .then(
        [call, companion, direct](Result& value) {
          if (!direct) {
            if (auto sender = companion->current_sender()) {
              companion->routes[call->route] = caf::actor_cast<caf::actor_addr>(sender);
            }
          }
          call->on_value(value);
        },
        [call, companion, direct](caf::error& err) {
          if (direct && err == caf::sec::request_receiver_down) {
            // The actor ended between lookup and delivery: ask the forwarder.
            companion->routes.erase(call->route);
            routed_request<Result>(*companion, call);
            return;
          }
          call->on_error(err);
        });
  }

  /// Runs `job(companion)` on the thread of the session behind `ctx`, with that thread's
  /// companion: at once when called there (the usual case), else posted to it.
  template <class Job> void on_session_thread(const context_ptr& ctx, Job job) {
    auto& io = io_context_of(ctx);
    if (io.get_executor().running_in_this_thread()) {
      job(companion_for(io));
    } else {
      boost::asio::post(io,
                        [this, &io, job = std::move(job)]() mutable { job(companion_for(io)); });
    }
  }

  static boost::asio::io_context& io_context_of(const context_ptr& ctx);

  // The companion of `io`'s thread, spawned on first use.
  io_companion& companion_for(boost::asio::io_context& io);

  caf::actor_system& sys_;
  caf::timespan timeout_;
  std::mutex mtx_; // guards companions_ (one per I/O thread, so a handful)
  std::vector<caf::strong_actor_ptr> companions_;
};

} // namespace leasehold::edge
