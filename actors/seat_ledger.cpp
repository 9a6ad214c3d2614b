#include "actors/seat_ledger.hpp"

#include <algorithm>
#include <cassert>

namespace leasehold {

seat_ledger::seat_ledger(license_terms terms) : terms_(std::move(terms)) {
  // nop
}

void seat_ledger::set_terms(license_terms terms) { terms_ = std::move(terms); }

uint32_t seat_ledger::seats_used() const {
  return static_cast<uint32_t>(sessions_.size() + reserved_.size());
}

uint32_t seat_ledger::seat_limit() const { return terms_.seats_total + terms_.overdraft_seats; }

bool seat_ledger::has_free_seat() const { return seats_used() < seat_limit(); }

bool seat_ledger::reserve(const std::string& session_id, const std::string& user_id,
                          const std::string& hardware_id) {
  if (!has_free_seat()) {
    return false;
  }
  return reserved_.emplace(session_id, std::make_pair(user_id, hardware_id)).second;
}

const std::string* seat_ledger::find_reservation_by_holder(const std::string& user_id,
                                                           const std::string& hardware_id) const {
  // Linear: reservations live only while their commit is in flight, so there are few.
  for (const auto& [id, holder] : reserved_) {
    if (holder.first == user_id && holder.second == hardware_id) {
      return &id;
    }
  }
  return nullptr;
}

void seat_ledger::cancel_reservation(const std::string& session_id) { reserved_.erase(session_id); }

live_session& seat_ledger::confirm(session_record rec) {
  auto erased = reserved_.erase(rec.id);
  assert(erased == 1);
  static_cast<void>(erased);
  auto id = rec.id;
  holders_[{rec.user_id, rec.hardware_id}] = id;
  auto& entry = sessions_[id];
  entry.record = std::move(rec);
  entry.generation = 1;
  return entry;
}

live_session& seat_ledger::restore(session_record rec) {
  auto id = rec.id;
  holders_[{rec.user_id, rec.hardware_id}] = id;
  auto& entry = sessions_[id];
  entry.record = std::move(rec);
  entry.generation = 1;
  return entry;
}

live_session* seat_ledger::find(const std::string& session_id) {
  auto i = sessions_.find(session_id);
  return i != sessions_.end() ? &i->second : nullptr;
}

live_session* seat_ledger::find_by_holder(const std::string& user_id,
                                          const std::string& hardware_id) {
  auto i = holders_.find({user_id, hardware_id});
  return i != holders_.end() ? find(i->second) : nullptr;
}

void seat_ledger::renew(live_session& session, caf::timestamp now, caf::timestamp expires_at) {
  session.record.last_heartbeat_at = now;
  session.record.expires_at = expires_at;
}

bool seat_ledger::end(const std::string& session_id) {
  auto i = sessions_.find(session_id);
  if (i == sessions_.end()) {
    return false;
  }
  auto h = holders_.find({i->second.record.user_id, i->second.record.hardware_id});
  if (h != holders_.end() && h->second == session_id) {
    holders_.erase(h);
  }
  sessions_.erase(i);
  return true;
}

void seat_ledger::park(uint64_t waiter_id) { waiters_.push_back(waiter_id); }

bool seat_ledger::unpark(uint64_t waiter_id) {
  auto i = std::find(waiters_.begin(), waiters_.end(), waiter_id);
  if (i == waiters_.end()) {
    return false;
  }
  waiters_.erase(i);
  return true;
}

caf::optional<uint64_t> seat_ledger::next_waiter() {
  if (waiters_.empty()) {
    return caf::none;
  }
  auto id = waiters_.front();
  waiters_.pop_front();
  return id;
}

} // namespace leasehold
