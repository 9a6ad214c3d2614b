#define CAF_SUITE edge.io_execution_unit

#include "edge/io_execution_unit.hpp"

#include "tests/fixtures/actor_fixture.hpp"

#include <caf/mailbox_element.hpp>
#include <caf/stateful_actor.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

using namespace leasehold;
using namespace leasehold::edge;

namespace {

struct tally {
  int messages = 0;
};

// Counts the messages it handled, `step` each (CAF 0.17 spawns actors with no arguments through
// a null tuple, which UBSan reports).
caf::behavior counter(caf::stateful_actor<tally>* self, int step) {
  return {[self, step](int) { self->state.messages += step; }};
}

struct fixture : actor_fixture {
  boost::asio::io_context ioc;
  io_execution_unit unit{sys, [this] { boost::asio::post(ioc, [this] { unit.run_ready(); }); }};
  caf::actor target = sys.spawn(counter, 1);

  fixture() { sched.run(); } // the actor's start

  int handled() { return deref<caf::stateful_actor<tally>>(target).state.messages; }

  /// Sends `x` to the target as code on the I/O thread does: with the unit as its context.
  void send_from_io_thread(int x) {
    target->enqueue(caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, x), &unit);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(io_execution_unit_tests, fixture)

CAF_TEST(an actor woken from the I / O thread runs there and not on a CAF worker) {
  send_from_io_thread(1);
  CAF_CHECK(!sched.has_job());
  CAF_CHECK_EQUAL(handled(), 0);
  ioc.poll();
  CAF_CHECK_EQUAL(handled(), 1);
  CAF_CHECK(!sched.has_job());
  // Idle again: the next message wakes it on the I/O thread once more.
  send_from_io_thread(2);
  ioc.restart();
  ioc.poll();
  CAF_CHECK_EQUAL(handled(), 2);
}

CAF_TEST(a busy actor gives the thread back between rounds) {
  constexpr int total = 2 * static_cast<int>(io_execution_unit::max_messages) + 1;
  for (int i = 0; i < total; ++i) {
    send_from_io_thread(i);
  }
  ioc.poll_one();
  CAF_CHECK_EQUAL(handled(), static_cast<int>(io_execution_unit::max_messages));
  ioc.poll();
  CAF_CHECK_EQUAL(handled(), total);
}

CAF_TEST(a stopped I / O thread hands waiting actors to the scheduler) {
  send_from_io_thread(1);
  unit.hand_back(); // the I/O thread stopped before its run
  CAF_REQUIRE(sched.has_job());
  sched.run();
  CAF_CHECK_EQUAL(handled(), 1);
  // Later wake-ups go to the scheduler as well.
  send_from_io_thread(2);
  ioc.poll();
  CAF_CHECK_EQUAL(handled(), 1);
  sched.run();
  CAF_CHECK_EQUAL(handled(), 2);
}

CAF_TEST_FIXTURE_SCOPE_END()
