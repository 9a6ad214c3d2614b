#include "actors/tenant.hpp"

#include "actors/errc.hpp"
#include "actors/license_rules.hpp"
#include "actors/record.hpp"
#include "actors/seat_ledger.hpp"
#include "actors/tenant_records.hpp"
#include "actors/uuid.hpp"

#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leasehold {

namespace {

/// An acquire parked in a license's wait queue.
struct waiter {
  caf::typed_response_promise<lease> promise;
  acquire_request request;
  std::string license_id;
};

/// Where a live session is: its license's ledger and its entry there. Both are stable: ledgers
/// are never removed, and a ledger's sessions are map nodes.
struct session_place {
  seat_ledger* ledger;
  live_session* session;
};

struct tenant_state {
  std::string tenant_id;
  store_actor store;
  tenant_options opts;
  uint64_t epoch = 0;
  caf::error failed; // the load's error: the tenant answers with it until it stops
  std::map<std::string, seat_ledger> ledgers; // by license id
  // By session id: one lookup per heartbeat.
  std::unordered_map<uuid_bits, session_place, uuid_bits_hash> live;
  std::unordered_map<uint64_t, waiter> waiters; // by waiter id
  // Repeated acquires of a holder whose seat is still being committed, by reserved session id:
  // they get the same answer as the first.
  std::unordered_map<std::string, std::vector<caf::typed_response_promise<lease>>> followers;
  uint64_t next_waiter_id = 1;
  // Sessions heartbeated since the last flush (each once, marked `beat_unwritten`): their
  // times go to the store as one batch.
  std::vector<uuid_bits> unwritten_beats;
  bool beat_flush_armed = false;
  // Passivation: the directory that asks whether to stop us (none: never passivated), the
  // records sent and not yet answered, and whether a request came since the last idle check.
  tenant_supervisor_actor supervisor;
  uint32_t commits_in_flight = 0;
  bool touched = false;
  static inline const char* name = "tenant";
};

using tenant_ptr = tenant_actor::stateful_pointer<tenant_state>;

caf::timespan seconds(uint32_t n) { return std::chrono::seconds{n}; }

// -- records ---------------------------------------------------------------------------------

record_scope scope_of(const tenant_state& st) { return {st.tenant_id, st.epoch}; }

/// Commits `rec` and calls `done` with none or the store's error. Without a timeout: the
/// outcome must be the store's own, since giving a seat back after a timeout while its record
/// still commits would let the record hold more seats than the license. (Also, in CAF 0.17 a
/// request's timeout stays on the clock after the answer and fires anyway: two per seat.) A
/// store that stops ends the tenant instead (see `tenant`).
template <class Done> void commit(tenant_ptr self, record rec, Done done) {
  ++self->state.commits_in_flight;
  self->request(self->state.store, caf::infinite, commit_atom_v, std::move(rec))
    .then(
      [self, done](caf::ok_atom) mutable {
        --self->state.commits_in_flight;
        done(caf::error{});
      },
      [self, done](caf::error& err) mutable {
        --self->state.commits_in_flight;
        done(std::move(err));
      });
}

/// Commits a record whose outcome changes nothing here (the store retries session ends).
void commit_and_forget(tenant_ptr self, record rec) {
  commit(self, std::move(rec), [](const caf::error&) {
    // nop: the seat is already free in memory, and the store keeps end records it could not
    // write yet; there is nobody to tell.
  });
}

// -- sessions --------------------------------------------------------------------------------

// One timer per session, not one per heartbeat: a heartbeat only moves the deadline, and a
// timer that fires before the deadline re-arms itself for the rest. (Each delayed message
// costs a lock on the clock and ~300 bytes until it fires.)

/// Arms the expiry timer of `session` for its deadline and current generation.
void arm_expiry(tenant_ptr self, live_session& session) {
  session.armed_until = session.deadline;
  self->delayed_send(self, session.deadline - self->clock().now(), expire_atom_v, session.record.id,
                     session.generation);
}

/// Replaces the session's timer: the one running now becomes stale.
void rearm_expiry(tenant_ptr self, live_session& session) {
  ++session.generation;
  arm_expiry(self, session);
}

/// Starts the session's TTL (new, restored or re-acquired): `ttl` from now.
void start_expiry(tenant_ptr self, live_session& session, uint32_t ttl) {
  session.deadline = self->clock().now() + seconds(ttl);
  if (session.armed_until == caf::actor_clock::time_point{}) {
    arm_expiry(self, session);
  } else if (session.deadline < session.armed_until) {
    rearm_expiry(self, session); // a shorter TTL than when the timer was armed
  }
}

/// The live session `id`, or null. Every session id is a UUID (the edge refuses others).
session_place* find_live(tenant_state& st, const std::string& id) {
  auto key = parse_uuid(id);
  if (!key) {
    return nullptr;
  }
  auto i = st.live.find(*key);
  return i != st.live.end() ? &i->second : nullptr;
}

/// Makes `session` of `ledger` findable by its id.
void add_live(tenant_state& st, seat_ledger& ledger, live_session& session) {
  // Ids are made by new_session_id or read from a uuid column.
  auto key = parse_uuid(session.record.id);
  assert(key);
  if (key) {
    st.live[*key] = session_place{&ledger, &session};
  }
}

/// Writes the times of heartbeated sessions soon, in one batch for the tenant.
void note_heartbeat(tenant_ptr self, live_session& session) {
  auto& st = self->state;
  if (!session.beat_unwritten) {
    if (auto key = parse_uuid(session.record.id)) {
      session.beat_unwritten = true;
      st.unwritten_beats.push_back(*key);
    }
  }
  if (!st.beat_flush_armed) {
    st.beat_flush_armed = true;
    self->delayed_send(self, st.opts.heartbeat_flush_delay, flush_atom_v);
  }
}

lease make_lease(const seat_ledger& ledger, const session_record& s) {
  const auto& terms = ledger.terms();
  lease result;
  result.tenant_id = s.tenant_id;
  result.license_id = s.license_id;
  result.session_id = s.id;
  result.user_id = s.user_id;
  result.hardware_id = s.hardware_id;
  result.seats_used = ledger.seats_used();
  result.seats_total = terms.seats_total;
  result.issued_at = caf::make_timestamp();
  result.expires_at = s.expires_at;
  result.heartbeat_interval = terms.heartbeat_interval;
  result.session_ttl = terms.session_ttl;
  result.offline_grace = terms.offline_grace;
  result.tier = terms.tier;
  result.features = terms.features;
  return result;
}

/// The live session `req` names, if `req.who` may touch it: sessions of this tenant only, and
/// members and guests only their own (others' sessions do not exist for them).
std::pair<seat_ledger*, live_session*> find_session(tenant_ptr self, const session_request& req) {
  auto& st = self->state;
  if (req.who.tenant_id != st.tenant_id) {
    return {nullptr, nullptr};
  }
  auto* place = find_live(st, req.session_id);
  if (place == nullptr) {
    return {nullptr, nullptr};
  }
  auto [ledger, session] = *place;
  if (!is_manager(req.who.user_role) && session->record.user_id != req.who.user_id) {
    return {nullptr, nullptr};
  }
  return {ledger, session};
}

caf::error session_not_found(const std::string& id) {
  return make_error(errc::session_not_found, "session " + id + " does not exist or has ended");
}

void serve_waiters(tenant_ptr self, const std::string& license_id);

/// Ends a live session in memory: its seat is free at once.
void end_session(tenant_ptr self, seat_ledger& ledger, const std::string& session_id) {
  ledger.end(session_id);
  if (auto key = parse_uuid(session_id)) {
    self->state.live.erase(*key);
  }
}

// -- acquire ---------------------------------------------------------------------------------

/// The refusal for a license without a free seat, and its lazily written audit record.
caf::error deny_no_seat(tenant_ptr self, const seat_ledger& ledger, const acquire_request& req) {
  const auto& terms = ledger.terms();
  auto now = caf::make_timestamp();
  // Retry when the next session may expire, but no later than one heartbeat interval: a
  // release can free a seat any time.
  auto retry_after = terms.heartbeat_interval;
  for (const auto& [id, session] : ledger.sessions()) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(session.record.expires_at - now);
    if (left.count() < retry_after) {
      retry_after = static_cast<uint32_t>(std::max<int64_t>(left.count(), 1));
    }
  }
  seat_denial denial{ledger.seats_used(), terms.seats_total, terms.overdraft_seats,
                     std::max(retry_after, 1u)};
  auto err = make_no_seats_error("all " + std::to_string(ledger.seat_limit()) +
                                   " seats of license " + terms.id + " are in use",
                                 denial);
  self->send(self->state.store, note_atom_v,
             std::vector<record>{make_deny_record(scope_of(self->state), terms.id, req, err)});
  return err;
}

/// Refuses an acquire because of the license's state; the denial goes to the audit log.
caf::error deny_state(tenant_ptr self, const seat_ledger& ledger, const acquire_request& req,
                      caf::error err) {
  self->send(
    self->state.store, note_atom_v,
    std::vector<record>{make_deny_record(scope_of(self->state), ledger.terms().id, req, err)});
  return err;
}

/// Grants a new seat on `license_id`, which must have one free: reserves it at once so that
/// no concurrent acquire can take it, and delivers the lease once the record is committed.
void grant(tenant_ptr self, const std::string& license_id, const acquire_request& req,
           const caf::typed_response_promise<lease>& promise) {
  auto& st = self->state;
  auto& ledger = st.ledgers.at(license_id);
  const auto& terms = ledger.terms();
  auto now = caf::make_timestamp();
  session_record s;
  s.id = new_session_id();
  s.tenant_id = st.tenant_id;
  s.license_id = license_id;
  s.user_id = req.who.user_id;
  s.user_email = req.who.user_email;
  s.hardware_id = req.hardware_id;
  s.hostname = req.hostname;
  s.os = req.os;
  s.version = req.version;
  s.acquired_at = now;
  s.last_heartbeat_at = now;
  s.expires_at = now + seconds(terms.session_ttl);
  auto reserved = ledger.reserve(s.id, s.user_id, s.hardware_id);
  assert(reserved);
  static_cast<void>(reserved);
  auto rec = make_session_record(scope_of(st), record_kind::acquire, s);
  commit(self, std::move(rec), [self, s, promise](const caf::error& err) mutable {
    auto& owner = self->state.ledgers.at(s.license_id);
    std::vector<caf::typed_response_promise<lease>> answer{promise};
    auto i = self->state.followers.find(s.id);
    if (i != self->state.followers.end()) {
      answer.insert(answer.end(), i->second.begin(), i->second.end());
      self->state.followers.erase(i);
    }
    if (err) {
      // Nothing was granted: the seat goes back (maybe to a waiter).
      owner.cancel_reservation(s.id);
      for (auto& p : answer) {
        p.deliver(err);
      }
      serve_waiters(self, s.license_id);
      return;
    }
    auto ttl = owner.terms().session_ttl;
    auto& live = owner.confirm(s);
    // The timer starts now: the lease announces the deadline the timer keeps.
    live.record.expires_at = caf::make_timestamp() + seconds(ttl);
    add_live(self->state, owner, live);
    start_expiry(self, live, ttl);
    auto granted = make_lease(owner, live.record);
    for (auto& p : answer) {
      p.deliver(granted);
    }
  });
}

/// A re-acquire by the holder of `session`: the same session with a renewed expiry.
void renew(tenant_ptr self, seat_ledger& ledger, live_session& session, const acquire_request& req,
           caf::typed_response_promise<lease> promise) {
  auto now = caf::make_timestamp();
  auto ttl = ledger.terms().session_ttl;
  auto& s = session.record;
  s.hostname = req.hostname.empty() ? s.hostname : req.hostname;
  s.os = req.os.empty() ? s.os : req.os;
  s.version = req.version.empty() ? s.version : req.version;
  ledger.renew(session, now, now + seconds(ttl));
  start_expiry(self, session, ttl);
  auto result = make_lease(ledger, s);
  commit(self, make_session_record(scope_of(self->state), record_kind::renew, s),
         [promise, result](caf::error err) mutable {
           if (err) {
             promise.deliver(std::move(err));
           } else {
             promise.deliver(std::move(result));
           }
         });
}

/// Gives free seats of `license_id` to its waiters, first come first served.
void serve_waiters(tenant_ptr self, const std::string& license_id) {
  auto& st = self->state;
  auto& ledger = st.ledgers.at(license_id);
  while (ledger.has_free_seat()) {
    auto id = ledger.next_waiter();
    if (!id) {
      return;
    }
    auto i = st.waiters.find(*id);
    if (i == st.waiters.end()) {
      continue;
    }
    auto w = std::move(i->second);
    st.waiters.erase(i);
    if (auto err = check_acquirable(ledger.terms(), caf::make_timestamp())) {
      w.promise.deliver(deny_state(self, ledger, w.request, std::move(err)));
    } else if (auto* s = ledger.find_by_holder(w.request.who.user_id, w.request.hardware_id)) {
      renew(self, ledger, *s, w.request, std::move(w.promise));
    } else if (auto* pending =
                 ledger.find_reservation_by_holder(w.request.who.user_id, w.request.hardware_id)) {
      st.followers[*pending].push_back(std::move(w.promise));
    } else {
      grant(self, license_id, w.request, w.promise);
    }
  }
}

/// Answers every waiter of `license_id` with `err` (the license stopped granting seats).
void fail_waiters(tenant_ptr self, seat_ledger& ledger, const caf::error& err) {
  auto& st = self->state;
  while (auto id = ledger.next_waiter()) {
    auto i = st.waiters.find(*id);
    if (i != st.waiters.end()) {
      i->second.promise.deliver(deny_state(self, ledger, i->second.request, err));
      st.waiters.erase(i);
    }
  }
}

caf::result<lease> acquire(tenant_ptr self, acquire_request& req) {
  auto& st = self->state;
  if (st.failed) {
    return st.failed;
  }
  auto now = caf::make_timestamp();
  auto* ledger = req.who.tenant_id == st.tenant_id ? select_license(st.ledgers, req, now) : nullptr;
  if (ledger == nullptr) {
    return make_error(errc::not_found, req.license_id.empty()
                                         ? "no active license for this product"
                                         : "license " + req.license_id + " does not exist");
  }
  if (auto err = check_acquirable(ledger->terms(), now)) {
    return deny_state(self, *ledger, req, std::move(err));
  }
  // A promise takes over the reply: make one only where the answer comes later.
  if (auto* session = ledger->find_by_holder(req.who.user_id, req.hardware_id)) {
    auto promise = self->make_response_promise<lease>();
    renew(self, *ledger, *session, req, promise);
    return promise;
  }
  if (auto* pending = ledger->find_reservation_by_holder(req.who.user_id, req.hardware_id)) {
    // The same client asked again while its seat is being committed (a retry): no second seat.
    auto promise = self->make_response_promise<lease>();
    st.followers[*pending].push_back(promise);
    return promise;
  }
  if (ledger->has_free_seat()) {
    auto promise = self->make_response_promise<lease>();
    grant(self, ledger->terms().id, req, promise);
    return promise;
  }
  auto wait = std::min(req.wait_seconds, st.opts.max_wait_seconds);
  if (wait == 0) {
    return deny_no_seat(self, *ledger, req);
  }
  auto promise = self->make_response_promise<lease>();
  auto id = st.next_waiter_id++;
  st.waiters.emplace(id, waiter{promise, std::move(req), ledger->terms().id});
  ledger->park(id);
  self->delayed_send(self, seconds(wait), wait_timeout_atom_v, id);
  return promise;
}

void wait_timeout(tenant_ptr self, uint64_t waiter_id) {
  auto& st = self->state;
  auto i = st.waiters.find(waiter_id);
  if (i == st.waiters.end()) {
    return; // served already
  }
  auto w = std::move(i->second);
  st.waiters.erase(i);
  auto& ledger = st.ledgers.at(w.license_id);
  ledger.unpark(waiter_id);
  w.promise.deliver(deny_no_seat(self, ledger, w.request));
}

// -- heartbeat, release, revoke, expire ------------------------------------------------------

caf::result<heartbeat_ack> heartbeat(tenant_ptr self, const session_request& req) {
  if (self->state.failed) {
    return self->state.failed;
  }
  auto [ledger, session] = find_session(self, req);
  if (session == nullptr) {
    return session_not_found(req.session_id);
  }
  auto now = caf::make_timestamp();
  auto ttl = ledger->terms().session_ttl;
  ledger->renew(*session, now, now + seconds(ttl));
  start_expiry(self, *session, ttl);
  note_heartbeat(self, *session);
  return heartbeat_ack{session->record.expires_at, ttl};
}

/// Ends a session on a client's or manager's request; answers once the end is committed.
caf::result<caf::ok_atom> end_by_request(tenant_ptr self, const session_request& req,
                                         record_kind kind) {
  if (self->state.failed) {
    return self->state.failed;
  }
  if (kind == record_kind::revoke && !is_manager(req.who.user_role)) {
    return make_error(errc::forbidden, "only owners and admins may revoke sessions");
  }
  auto [ledger, session] = find_session(self, req);
  if (session == nullptr) {
    return session_not_found(req.session_id);
  }
  auto rec = make_session_record(scope_of(self->state), kind, session->record);
  if (kind == record_kind::revoke) {
    rec.detail["revoked_by"] = req.who.user_id;
  }
  auto license_id = ledger->terms().id;
  end_session(self, *ledger, req.session_id);
  auto promise = self->make_response_promise<caf::ok_atom>();
  commit(self, std::move(rec), [promise](caf::error err) mutable {
    if (err) {
      promise.deliver(std::move(err));
    } else {
      promise.deliver(caf::ok_atom_v);
    }
  });
  // After the end's commit was sent: records of a tenant commit in order, so the record never
  // shows the waiter's seat taken before this one was given back.
  serve_waiters(self, license_id);
  return promise;
}

void expire(tenant_ptr self, const std::string& session_id, uint64_t generation) {
  auto& st = self->state;
  auto* place = find_live(st, session_id);
  if (place == nullptr) {
    return; // ended already
  }
  auto& ledger = *place->ledger;
  auto* session = place->session;
  const auto& license_id = ledger.terms().id;
  if (session->generation != generation) {
    return; // stale timer: it was replaced by one for an earlier deadline
  }
  if (self->clock().now() < session->deadline) {
    rearm_expiry(self, *session); // heartbeats moved the deadline since the timer was armed
    return;
  }
  auto rec = make_session_record(scope_of(st), record_kind::expire, session->record);
  end_session(self, ledger, session_id);
  commit_and_forget(self, std::move(rec));
  serve_waiters(self, license_id);
}

/// Sends the times of the sessions heartbeated since the last flush (those still live).
void flush_heartbeats(tenant_ptr self) {
  auto& st = self->state;
  st.beat_flush_armed = false;
  std::vector<record> notes;
  notes.reserve(st.unwritten_beats.size());
  for (const auto& key : st.unwritten_beats) {
    auto i = st.live.find(key);
    if (i == st.live.end()) {
      continue; // ended since: its end record carries the times
    }
    auto& session = *i->second.session;
    session.beat_unwritten = false;
    notes.push_back(make_session_record(scope_of(st), record_kind::heartbeat, session.record));
  }
  st.unwritten_beats.clear();
  if (!notes.empty()) {
    self->send(st.store, note_atom_v, std::move(notes));
  }
}

// -- listings --------------------------------------------------------------------------------

std::vector<session_record> list_sessions(tenant_ptr self, const caller& who) {
  std::vector<session_record> result;
  auto& st = self->state;
  if (who.tenant_id != st.tenant_id) {
    return result;
  }
  for (const auto& [license_id, ledger] : st.ledgers) {
    for (const auto& [id, session] : ledger.sessions()) {
      if (is_manager(who.user_role) || session.record.user_id == who.user_id) {
        result.push_back(session.record);
      }
    }
  }
  return result;
}

caf::result<std::vector<license_view>> list_licenses(tenant_ptr self,
                                                     const std::string& tenant_id) {
  auto& st = self->state;
  if (st.failed) {
    return st.failed;
  }
  std::vector<license_view> result;
  if (tenant_id != st.tenant_id) {
    return result;
  }
  for (const auto& [id, ledger] : st.ledgers) {
    result.push_back(license_view{ledger.terms(), ledger.seats_used()});
  }
  std::sort(result.begin(), result.end(), [](const license_view& x, const license_view& y) {
    return std::tie(x.terms.created_at, x.terms.id) < std::tie(y.terms.created_at, y.terms.id);
  });
  return result;
}

// -- license changes -------------------------------------------------------------------------

/// After new terms were applied: waiters get freed seats, or the refusal if the license no
/// longer grants seats.
void after_terms_changed(tenant_ptr self, const std::string& license_id) {
  auto& ledger = self->state.ledgers.at(license_id);
  if (auto err = check_acquirable(ledger.terms(), caf::make_timestamp())) {
    fail_waiters(self, ledger, err);
  } else {
    serve_waiters(self, license_id);
  }
}

caf::result<license_view> add_license(tenant_ptr self, license_terms& terms) {
  auto& st = self->state;
  if (st.failed) {
    return st.failed;
  }
  if (terms.tenant_id != st.tenant_id) {
    return make_error(errc::not_found, "tenant " + terms.tenant_id + " does not exist");
  }
  if (terms.id.empty()) {
    terms.id = new_session_id();
  }
  if (st.ledgers.count(terms.id) > 0) {
    return make_error(errc::conflict, "license " + terms.id + " exists already");
  }
  if (auto err = validate_terms(terms)) {
    return err;
  }
  if (terms.created_at == caf::timestamp{}) {
    terms.created_at = caf::make_timestamp();
  }
  auto promise = self->make_response_promise<license_view>();
  auto rec = make_license_record(scope_of(st), record_kind::license_create, terms);
  // `await`: license changes are rare, and holding other messages back until the commit is in
  // keeps two changes of one license from being applied over each other. No timeout, as for
  // seat records (see `commit`): the store always answers, if need be when its connection
  // breaks, and a change given up on could still commit.
  self->request(st.store, caf::infinite, commit_atom_v, std::move(rec))
    .await(
      [self, promise, terms](caf::ok_atom) mutable {
        self->state.ledgers.emplace(terms.id, seat_ledger{terms});
        promise.deliver(license_view{terms, 0});
      },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

caf::result<license_view> patch_license(tenant_ptr self, const license_patch& patch) {
  auto& st = self->state;
  if (st.failed) {
    return st.failed;
  }
  auto i = st.ledgers.find(patch.license_id);
  if (patch.tenant_id != st.tenant_id || i == st.ledgers.end()) {
    return make_error(errc::not_found, "license " + patch.license_id + " does not exist");
  }
  auto terms = i->second.terms();
  apply(patch, terms);
  if (auto err = validate_terms(terms)) {
    return err;
  }
  auto promise = self->make_response_promise<license_view>();
  auto rec = make_license_record(scope_of(st), record_kind::license_update, terms);
  // `await` and no timeout, as in add_license.
  self->request(st.store, caf::infinite, commit_atom_v, std::move(rec))
    .await(
      [self, promise, terms](caf::ok_atom) mutable {
        auto& ledger = self->state.ledgers.at(terms.id);
        ledger.set_terms(terms);
        after_terms_changed(self, terms.id);
        promise.deliver(license_view{terms, ledger.seats_used()});
      },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

// -- passivation -----------------------------------------------------------------------------

/// Nothing in hand: stopping now loses nothing, and a restart loads the same state.
bool is_idle(const tenant_state& st) {
  return !st.failed && st.live.empty() && st.waiters.empty() && st.followers.empty() &&
         st.unwritten_beats.empty() && !st.beat_flush_armed && st.commits_in_flight == 0;
}

bool passivates(const tenant_state& st) {
  return st.supervisor && st.opts.idle_timeout > caf::timespan::zero();
}

/// The passivation timer: one per tenant, re-armed each time.
void check_idle(tenant_ptr self) {
  auto& st = self->state;
  if (is_idle(st) && !st.touched) {
    // The supervisor decides: it holds the tenant's new requests while it asks `passivate`.
    self->send(st.supervisor, idle_atom_v);
  }
  st.touched = false;
  self->delayed_send(self, st.opts.idle_timeout, idle_check_atom_v);
}

/// Ends the tenant if its load failed or it is still idle; true if it ends.
bool passivate(tenant_ptr self) {
  auto& st = self->state;
  if (st.failed) {
    self->quit(st.failed);
    return true;
  }
  if (is_idle(st) && !st.touched) {
    self->quit();
    return true;
  }
  return false;
}

// -- start -----------------------------------------------------------------------------------

/// Takes over the snapshot. Live sessions get a fresh TTL: a restart never ends a session that
/// its client keeps alive.
void restore(tenant_ptr self, tenant_snapshot& snapshot) {
  auto& st = self->state;
  st.epoch = snapshot.epoch;
  for (auto& terms : snapshot.licenses) {
    auto id = terms.id;
    st.ledgers.emplace(id, seat_ledger{std::move(terms)});
  }
  auto now = caf::make_timestamp();
  for (auto& s : snapshot.sessions) {
    auto i = st.ledgers.find(s.license_id);
    if (i == st.ledgers.end()) {
      continue; // a session of a license that is gone has no seat to hold
    }
    auto ttl = i->second.terms().session_ttl;
    s.expires_at = now + seconds(ttl);
    auto& live = i->second.restore(std::move(s));
    add_live(st, i->second, live);
    start_expiry(self, live, ttl);
  }
}

tenant_actor::behavior_type tenant(tenant_ptr self, const std::string& tenant_id,
                                   const store_actor& store, tenant_options opts,
                                   const tenant_supervisor_actor& supervisor) {
  auto& st = self->state;
  st.tenant_id = tenant_id;
  st.store = store;
  st.opts = opts;
  st.supervisor = supervisor;
  // Commits wait for the store without a timeout: if it stops, their answers never come, so
  // the tenant stops too (restarted from the record on its next request).
  self->monitor(store);
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.source != self->state.store.address()) {
      return;
    }
    if (!msg.reason || msg.reason == caf::exit_reason::user_shutdown) {
      return self->quit(msg.reason);
    }
    self->quit(make_error(errc::unavailable,
                          "the record store stopped: " + self->system().render(msg.reason)));
  });
  // `await`: no request is handled before the snapshot is in.
  self->request(store, opts.store_timeout, load_atom_v, tenant_id)
    .await(
      [self](tenant_snapshot& snapshot) {
        restore(self, snapshot);
        if (passivates(self->state)) {
          self->delayed_send(self, self->state.opts.idle_timeout, idle_check_atom_v);
        }
      },
      [self](caf::error& err) {
        // Answer what arrived meanwhile with this error, then stop.
        self->state.failed = std::move(err);
        caf::anon_send(caf::actor_cast<tenant_actor>(self), passivate_atom_v);
      });
  // Marks a request: the tenant is in use (timers and probes are not requests).
  auto touch = [self] { self->state.touched = true; };
  return {
    [self, touch](acquire_atom, acquire_request& req) {
      touch();
      return acquire(self, req);
    },
    [self](heartbeat_atom, const session_request& req) {
      return heartbeat(self, req); // a tenant with sessions is never idle
    },
    [self, touch](release_atom, const session_request& req) {
      touch();
      return end_by_request(self, req, record_kind::release);
    },
    [self, touch](revoke_atom, const session_request& req) {
      touch();
      return end_by_request(self, req, record_kind::revoke);
    },
    [self, touch](list_sessions_atom,
                  const caller& who) -> caf::result<std::vector<session_record>> {
      touch();
      if (self->state.failed) {
        return self->state.failed;
      }
      return list_sessions(self, who);
    },
    [self, touch](list_licenses_atom, const std::string& id) {
      touch();
      return list_licenses(self, id);
    },
    [self, touch](add_license_atom, license_terms& terms) {
      touch();
      return add_license(self, terms);
    },
    [self, touch](patch_license_atom, const license_patch& patch) {
      touch();
      return patch_license(self, patch);
    },
    [self](expire_atom, const std::string& session_id, uint64_t generation) {
      expire(self, session_id, generation);
    },
    [self](wait_timeout_atom, uint64_t waiter_id) { wait_timeout(self, waiter_id); },
    [self](flush_atom) { flush_heartbeats(self); },
    [self](stats_atom) {
      return caf::result<uint64_t, uint64_t>{static_cast<uint64_t>(self->mailbox().size()),
                                             static_cast<uint64_t>(self->state.waiters.size())};
    },
    [self](idle_check_atom) { check_idle(self); },
    [self](passivate_atom) { return passivate(self); },
  };
}

} // namespace

tenant_actor spawn_tenant(caf::actor_system& sys, std::string tenant_id, store_actor store,
                          tenant_options opts) {
  return sys.spawn(tenant, std::move(tenant_id), std::move(store), opts, tenant_supervisor_actor{});
}

tenant_actor spawn_tenant(caf::local_actor* parent, std::string tenant_id, store_actor store,
                          tenant_options opts) {
  return parent->spawn<caf::monitored>(tenant, std::move(tenant_id), std::move(store), opts,
                                       caf::actor_cast<tenant_supervisor_actor>(parent));
}

} // namespace leasehold
