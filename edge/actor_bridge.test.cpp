#define CAF_SUITE edge.actor_bridge

#include "edge/actor_bridge.hpp"

#include "tests/fixtures/actor_fixture.hpp"

#include <caf/event_based_actor.hpp>

#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <stdexcept>

using namespace leasehold;
using namespace leasehold::edge;

namespace {

using namespace std::chrono_literals;

/// Answers `x` with `x + offset`, and refuses negative numbers: the actor that does the work.
caf::behavior worker(caf::event_based_actor*, int offset) {
  return {[offset](int x) -> caf::result<int> {
    if (x < 0) {
      return caf::make_error(caf::sec::invalid_argument);
    }
    return x + offset;
  }};
}

struct forwarder_state {
  caf::actor worker;
  int forwarded = 0;
  int started = 0;
};

/// Hands every request to its worker, starting one when there is none (as the tenant
/// directory does for tenants). The n-th worker adds `n * step`.
caf::behavior forwarder(caf::stateful_actor<forwarder_state>* self, int step) {
  self->set_down_handler([self](caf::down_msg&) { self->state.worker = nullptr; });
  return {
    [self, step](int x) {
      auto& st = self->state;
      if (!st.worker) {
        st.worker = self->spawn<caf::monitored>(worker, step * ++st.started);
      }
      ++st.forwarded;
      return self->delegate(st.worker, x);
    },
  };
}

struct fixture : actor_fixture {
  boost::asio::io_context ioc;
  actor_bridge bridge{sys, 10s};
  caf::actor fwd = sys.spawn(forwarder, 100);

  forwarder_state& fwd_state() { return deref<caf::stateful_actor<forwarder_state>>(fwd).state; }

  /// Asks `x` through the bridge by route "r" and runs everything until the answer is in.
  caf::expected<int> ask(int x) {
    auto ctx = std::make_shared<request_context>();
    ctx->executor = ioc.get_executor();
    auto result = std::make_shared<std::optional<caf::expected<int>>>();
    bridge.ask_routed<int>(
      10s, ctx, "r", fwd, [result](int& value) { *result = value; },
      [result](const caf::error& err) { *result = err; }, x);
    // Not on the context's thread: the request is posted there, sent, answered, and the
    // answer is carried back to the context.
    CAF_CHECK(!result->has_value());
    ioc.restart();
    ioc.poll();
    sched.run();
    ioc.restart();
    ioc.poll();
    CAF_REQUIRE(result->has_value());
    return std::move(**result);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(actor_bridge_tests, fixture)

CAF_TEST(a routed request goes through the forwarder once and then straight to the worker) {
  CAF_CHECK_EQUAL(ask(1), 101);
  CAF_CHECK_EQUAL(fwd_state().forwarded, 1);
  CAF_CHECK_EQUAL(ask(2), 102);
  CAF_CHECK_EQUAL(ask(3), 103);
  CAF_CHECK_EQUAL(fwd_state().forwarded, 1); // the worker answered directly
}

CAF_TEST(a route to a worker that ended goes through the forwarder again) {
  CAF_CHECK_EQUAL(ask(1), 101);
  anon_send_exit(fwd_state().worker, caf::exit_reason::kill);
  sched.run();
  CAF_CHECK(!fwd_state().worker);
  // The forwarder starts a new worker, which answers, and is the route from now on.
  CAF_CHECK_EQUAL(ask(2), 202);
  CAF_CHECK_EQUAL(fwd_state().forwarded, 2);
  CAF_CHECK_EQUAL(ask(3), 203);
  CAF_CHECK_EQUAL(fwd_state().forwarded, 2);
}

CAF_TEST(only a success makes the answering actor the route) {
  CAF_CHECK(!ask(-1));
  CAF_CHECK(!ask(-2));
  CAF_CHECK_EQUAL(fwd_state().forwarded, 2); // refusals came from the worker, still forwarded
  CAF_CHECK_EQUAL(ask(1), 101);
  CAF_CHECK_EQUAL(ask(2), 102);
  CAF_CHECK_EQUAL(fwd_state().forwarded, 3);
}

CAF_TEST(an ask on the session thread goes out at once and its answer comes back there) {
  auto ctx = std::make_shared<request_context>();
  ctx->executor = ioc.get_executor();
  std::optional<int> result;
  auto target = sys.spawn(worker, 1);
  boost::asio::post(ioc, [&] {
    bridge.ask<int>(
      ctx, target, [&result](int& value) { result = value; },
      [](const caf::error& err) { CAF_FAIL("unexpected error: " << to_string(err)); }, 41);
  });
  ioc.poll(); // the "I/O thread" makes the request: no further hop before it is sent
  CAF_CHECK(sched.has_job());
  sched.run();
  CAF_CHECK(!result); // the answer waits in the io_context ...
  ioc.restart();
  ioc.poll(); // ... and its callback runs there
  CAF_CHECK_EQUAL(result, 42);
}

CAF_TEST(a callback that throws does not stop later asks on its thread) {
  auto target = sys.spawn(worker, 1);
  auto ask_on_thread = [&](int x, auto on_value) {
    auto ctx = std::make_shared<request_context>();
    ctx->executor = ioc.get_executor();
    boost::asio::post(ioc, [&, ctx, x, on_value] {
      bridge.ask<int>(
        ctx, target, on_value, [](const caf::error&) {}, x);
    });
    ioc.restart();
    ioc.poll();
    sched.run();
    ioc.restart();
    ioc.poll();
  };
  ask_on_thread(1, [](int&) { throw std::runtime_error("a handler bug"); });
  std::optional<int> result;
  ask_on_thread(2, [&result](int& value) { result = value; });
  CAF_CHECK_EQUAL(result, 3);
}

CAF_TEST_FIXTURE_SCOPE_END()
