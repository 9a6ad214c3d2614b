#pragma once

#include "actors/license.hpp"
#include "actors/session.hpp"

#include <caf/actor_clock.hpp>
#include <caf/optional.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

namespace leasehold {

/// A session that holds a seat, with the generation of its current expiry timer.
struct live_session {
  session_record record;
  uint64_t generation = 0; // timers carrying an older generation are stale
  // On the actor clock (virtual in tests), unlike the wall-clock times in `record`.
  caf::actor_clock::time_point deadline;    // the session ends here without a heartbeat
  caf::actor_clock::time_point armed_until; // when its current timer fires
  bool beat_unwritten = false; // its heartbeat time waits for the tenant's next batch of notes
};

/// The seats of one license: live sessions, seats reserved for acquires whose record is still
/// being committed, and the first-come first-served queue of waiting acquires. Plain C++ (no
/// actors, no clock): the tenant actor owns one per license and is its only user.
class seat_ledger {
public:
  explicit seat_ledger(license_terms terms);

  const license_terms& terms() const { return terms_; }

  /// Replaces the terms; sessions and reservations stay (a seat reduction ends nothing).
  void set_terms(license_terms terms);

  /// Seats taken: live sessions plus reservations.
  uint32_t seats_used() const;

  /// The most seats that may be taken: `seats_total + overdraft_seats`.
  uint32_t seat_limit() const;

  /// True while `seats_used() < seat_limit()`.
  bool has_free_seat() const;

  /// Takes a seat for `session_id` of `user_id` on `hardware_id` before its acquire is
  /// committed; false when none is free.
  bool reserve(const std::string& session_id, const std::string& user_id = {},
               const std::string& hardware_id = {});

  /// The session id reserved for `user_id` on `hardware_id`, or null.
  const std::string* find_reservation_by_holder(const std::string& user_id,
                                                const std::string& hardware_id) const;

  /// Gives back the seat reserved for `session_id` (its commit failed).
  void cancel_reservation(const std::string& session_id);

  /// Turns the reservation of `rec.id` into a live session with generation 1.
  live_session& confirm(session_record rec);

  /// Adds a session loaded from the record. It takes its seat even above the limit: the seat
  /// was granted before, and a seat reduction never ends live sessions.
  live_session& restore(session_record rec);

  /// The live session `session_id`, or null.
  live_session* find(const std::string& session_id);

  /// The live session of `user_id` on `hardware_id`, or null.
  live_session* find_by_holder(const std::string& user_id, const std::string& hardware_id);

  /// Moves the session's recorded heartbeat and expiry times (its timer is the tenant's).
  void renew(live_session& session, caf::timestamp now, caf::timestamp expires_at);

  /// Ends the live session `session_id`, freeing its seat; false if there is none.
  bool end(const std::string& session_id);

  /// Live sessions by id.
  const std::map<std::string, live_session>& sessions() const { return sessions_; }

  /// Puts `waiter_id` at the end of the wait queue.
  void park(uint64_t waiter_id);

  /// Takes `waiter_id` out of the queue (it timed out); false if it was not waiting.
  bool unpark(uint64_t waiter_id);

  /// Removes and returns the first waiter, if any.
  caf::optional<uint64_t> next_waiter();

  /// Number of waiting acquires.
  size_t waiting() const { return waiters_.size(); }

private:
  license_terms terms_;
  std::map<std::string, live_session> sessions_;
  std::map<std::pair<std::string, std::string>, std::string> holders_;  // (user, hardware) -> id
  std::map<std::string, std::pair<std::string, std::string>> reserved_; // id -> holder
  std::deque<uint64_t> waiters_;
};

} // namespace leasehold
