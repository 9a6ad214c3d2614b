#include "edge/io_companion.hpp"

#include <caf/actor_cast.hpp>
#include <caf/atom.hpp>

#include <boost/asio/post.hpp>

namespace leasehold::edge {

io_companion::io_companion(caf::actor_config& cfg, boost::asio::io_context& io)
    : extended_base(cfg), io_(io), unit_(home_system(), [this] {
        boost::asio::post(io_, [self = caf::actor_cast<caf::strong_actor_ptr>(this)] {
          of(self).unit_.run_ready();
        });
      }) {
  context(&unit_);
  // Called on whichever thread answers: carry the answer to the I/O thread. The strong
  // reference keeps the companion while the answer waits in the io_context.
  on_enqueue([this](caf::mailbox_element_ptr msg) {
    boost::asio::post(io_, [self = caf::actor_cast<caf::strong_actor_ptr>(this),
                            msg = std::move(msg)]() mutable { of(self).handle(*msg); });
  });
  // A companion expects answers only. Its behavior keeps it alive between requests (an
  // actor with neither a behavior nor pending answers terminates).
  on_exit([this] { ended_.store(true, std::memory_order_release); });
  set_default_handler(caf::drop);
  become([](caf::ok_atom) {});
}

io_companion& io_companion::of(const caf::strong_actor_ptr& ptr) {
  return *static_cast<io_companion*>(caf::actor_cast<caf::abstract_actor*>(ptr));
}

void io_companion::handle(caf::mailbox_element& msg) {
  if (!closed_) {
    activate(&unit_, msg);
  }
}

void io_companion::shut_down() {
  // Actors woken from here on go to CAF's scheduler: this thread runs no more.
  unit_.hand_back();
  if (!closed_) {
    closed_ = true;
    cleanup(caf::exit_reason::user_shutdown, &unit_);
  }
}

} // namespace leasehold::edge
