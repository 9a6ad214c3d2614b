#define CAF_SUITE actors.tenant

#include "actors/tenant.hpp"

#include "actors/errc.hpp"
#include "actors/fake_store.test.hpp"
#include "tests/fixtures/actor_fixture.hpp"

#include <chrono>
#include <random>
#include <set>

using namespace leasehold;
using namespace std::chrono_literals;

namespace {

constexpr uint32_t ttl = 30;      // session_ttl of the fixture's license
constexpr uint32_t interval = 10; // heartbeat_interval

license_terms make_license(std::string id, uint32_t seats, uint32_t overdraft = 0) {
  license_terms terms;
  terms.id = std::move(id);
  terms.tenant_id = "t-1";
  terms.key = "LH-AAAAA-BBBBB-CCCCC-DDDDD";
  terms.tier = license_tier::team;
  terms.seats_total = seats;
  terms.overdraft_seats = overdraft;
  terms.session_ttl = ttl;
  terms.heartbeat_interval = interval;
  terms.features["export"] = true;
  terms.created_at = caf::make_timestamp();
  return terms;
}

struct fixture : reply_fixture {
  fake_store_ptr data = std::make_shared<fake_store_data>();
  fake_store_actor fake;
  store_actor store;
  tenant_actor tenant;

  fixture() {
    fake = sys.spawn(fake_store, data);
    store = fake;
    auto& snapshot = data->tenants["t-1"];
    snapshot.tenant_id = "t-1";
    snapshot.epoch = 7;
    snapshot.licenses.push_back(make_license("lic-1", 2));
  }

  ~fixture() {
    if (tenant) {
      anon_send_exit(tenant, caf::exit_reason::user_shutdown);
    }
    anon_send_exit(store, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// Store requests that never time out within a test, so that only session and wait timers
  /// fire when time moves.
  static tenant_options options() {
    tenant_options opts;
    opts.store_timeout = std::chrono::hours{24};
    return opts;
  }

  void start() {
    tenant = spawn_tenant(sys, "t-1", store, options());
    sched.run();
  }

  /// Lets the store answer the commits it held back.
  void release_held() {
    data->hold = false;
    anon_send(fake, flush_atom_v);
    sched.run();
  }

  license_terms& license() { return data->tenants["t-1"].licenses.front(); }

  template <class T, class... Ts> reply<T> ask(Ts... xs) {
    auto out = send_request<T>(sys, tenant, std::move(xs)...);
    sched.run();
    return out;
  }

  static acquire_request request_of(std::string user, std::string hardware,
                                    uint32_t wait_seconds = 0, role user_role = role::member) {
    acquire_request req;
    req.who = make_caller("t-1", std::move(user), user_role);
    req.hardware_id = std::move(hardware);
    req.hostname = "ws-1";
    req.wait_seconds = wait_seconds;
    return req;
  }

  reply<lease> try_acquire(std::string user, std::string hardware, uint32_t wait_seconds = 0) {
    return ask<lease>(acquire_atom_v,
                      request_of(std::move(user), std::move(hardware), wait_seconds));
  }

  lease acquire(std::string user, std::string hardware) {
    return value_of(try_acquire(std::move(user), std::move(hardware)));
  }

  static session_request session_of(std::string user, std::string session_id,
                                    role user_role = role::member) {
    return session_request{make_caller("t-1", std::move(user), user_role), std::move(session_id)};
  }

  reply<heartbeat_ack> heartbeat(std::string user, std::string session_id) {
    return ask<heartbeat_ack>(heartbeat_atom_v, session_of(std::move(user), std::move(session_id)));
  }

  reply<caf::ok_atom> release(std::string user, std::string session_id) {
    return ask<caf::ok_atom>(release_atom_v, session_of(std::move(user), std::move(session_id)));
  }

  std::vector<session_record> sessions() {
    return value_of(ask<std::vector<session_record>>(list_sessions_atom_v,
                                                     make_caller("t-1", "admin", role::owner)));
  }

  std::set<std::string> session_ids() {
    std::set<std::string> result;
    for (auto& s : sessions()) {
      result.insert(s.id);
    }
    return result;
  }

  license_view view(const std::string& license_id = "lic-1") {
    for (auto& v :
         value_of(ask<std::vector<license_view>>(list_licenses_atom_v, std::string{"t-1"}))) {
      if (v.terms.id == license_id) {
        return v;
      }
    }
    CAF_FAIL("no license " << license_id);
  }

  license_view patch(license_patch p) {
    p.tenant_id = "t-1";
    if (p.license_id.empty()) {
      p.license_id = "lic-1";
    }
    return value_of(ask<license_view>(patch_license_atom_v, p));
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(tenant_tests, fixture)

CAF_TEST(a granted seat is committed with the tenant epoch and the session) {
  start();
  auto l = acquire("u-1", "hw-1");
  CAF_CHECK_EQUAL(l.tenant_id, "t-1");
  CAF_CHECK_EQUAL(l.license_id, "lic-1");
  CAF_CHECK_EQUAL(l.seats_used, 1u);
  CAF_CHECK_EQUAL(l.seats_total, 2u);
  CAF_CHECK_EQUAL(l.session_ttl, ttl);
  CAF_CHECK_EQUAL(l.heartbeat_interval, interval);
  CAF_CHECK_EQUAL(l.tier, license_tier::team);
  CAF_CHECK_EQUAL(l.features.at("export"), true);
  CAF_CHECK_EQUAL(l.session_id.size(), 36u);
  auto acquires = data->committed(record_kind::acquire);
  CAF_REQUIRE_EQUAL(acquires.size(), 1u);
  auto& rec = acquires.front();
  CAF_CHECK_EQUAL(rec.tenant_id, "t-1");
  CAF_CHECK_EQUAL(rec.epoch, 7u);
  CAF_CHECK_EQUAL(rec.license_id, "lic-1");
  CAF_CHECK_EQUAL(rec.session_id, l.session_id);
  CAF_CHECK_EQUAL(rec.user_id, "u-1");
  CAF_CHECK_EQUAL(rec.hardware_id, "hw-1");
  CAF_REQUIRE(rec.session);
  CAF_CHECK_EQUAL(rec.session->hostname, "ws-1");
  CAF_CHECK_LESS_OR_EQUAL(rec.session->expires_at, l.expires_at);
  CAF_CHECK_NOT_EQUAL(rec.at, caf::timestamp{});
}

CAF_TEST(a session without heartbeats expires at its deadline) {
  start();
  auto l = acquire("u-1", "hw-1");
  CAF_CHECK_EQUAL(advance_time(std::chrono::seconds{ttl - 1}), 0u); // nothing due yet
  sched.run();
  CAF_CHECK_EQUAL(session_ids().count(l.session_id), 1u);
  CAF_CHECK(data->committed(record_kind::expire).empty());
  CAF_CHECK_EQUAL(advance_time(1s), 1u);
  expect((expire_atom, std::string, uint64_t), from(tenant).to(tenant).with(_, l.session_id, 1u));
  CAF_CHECK(session_ids().empty());
  auto expires = data->committed(record_kind::expire);
  CAF_REQUIRE_EQUAL(expires.size(), 1u);
  CAF_CHECK_EQUAL(expires.front().session_id, l.session_id);
  CAF_CHECK_EQUAL(view().seats_used, 0u);
  CAF_CHECK(is_errc(error_of(heartbeat("u-1", l.session_id)), errc::session_not_found));
}

CAF_TEST(each batch of heartbeat notes holds a session once with its latest time) {
  start();
  auto l = acquire("u-1", "hw-1");
  auto flush_delay = tenant_options{}.heartbeat_flush_delay;
  heartbeat("u-1", l.session_id);
  advance_time(1s);
  auto second = value_of(heartbeat("u-1", l.session_id));
  advance_time(flush_delay);
  sched.run();
  auto beats = data->noted(record_kind::heartbeat);
  CAF_REQUIRE_EQUAL(beats.size(), 1u);
  CAF_CHECK_EQUAL(beats.back().session->expires_at, second.expires_at);
  // The next heartbeat starts the session's next batch.
  advance_time(1s);
  auto third = value_of(heartbeat("u-1", l.session_id));
  advance_time(flush_delay);
  sched.run();
  beats = data->noted(record_kind::heartbeat);
  CAF_REQUIRE_EQUAL(beats.size(), 2u);
  CAF_CHECK_EQUAL(beats.back().session->expires_at, third.expires_at);
}

CAF_TEST(heartbeats push the deadline and the timer follows it) {
  start();
  auto l = acquire("u-1", "hw-1");
  advance_time(20s);
  sched.run();
  auto ack = value_of(heartbeat("u-1", l.session_id));
  CAF_CHECK_EQUAL(ack.expires_in, ttl);
  CAF_CHECK_GREATER(ack.expires_at, l.expires_at);
  // Heartbeat times gather for a moment and then go to the store as one batch.
  CAF_CHECK(data->noted(record_kind::heartbeat).empty());
  auto flush_delay = tenant_options{}.heartbeat_flush_delay;
  CAF_CHECK_EQUAL(advance_time(flush_delay), 1u);
  sched.run();
  auto beats = data->noted(record_kind::heartbeat);
  CAF_REQUIRE_EQUAL(beats.size(), 1u);
  CAF_REQUIRE(beats.front().session);
  CAF_CHECK_EQUAL(beats.front().session->expires_at, ack.expires_at);
  // The acquire's timer fires at 30 s, finds the deadline moved and re-arms for the rest.
  CAF_CHECK_EQUAL(advance_time(10s - flush_delay), 1u);
  expect((expire_atom, std::string, uint64_t), from(tenant).to(tenant).with(_, l.session_id, 1u));
  CAF_CHECK_EQUAL(session_ids().count(l.session_id), 1u);
  advance_time(19s);
  sched.run();
  CAF_CHECK_EQUAL(session_ids().count(l.session_id), 1u);
  CAF_CHECK_EQUAL(advance_time(1s), 1u);
  expect((expire_atom, std::string, uint64_t), from(tenant).to(tenant).with(_, l.session_id, 2u));
  CAF_CHECK(session_ids().empty());
  CAF_CHECK_EQUAL(data->committed(record_kind::expire).size(), 1u);
}

CAF_TEST(sessions restored from the record get a fresh ttl) {
  const std::string old_id = "0f0e0d0c-0b0a-4908-8706-050403020100";
  session_record s;
  s.id = old_id;
  s.tenant_id = "t-1";
  s.license_id = "lic-1";
  s.user_id = "u-1";
  s.hardware_id = "hw-1";
  s.acquired_at = caf::make_timestamp() - 1h;
  s.last_heartbeat_at = s.acquired_at;
  s.expires_at = s.acquired_at + 30s; // long past
  data->tenants["t-1"].sessions.push_back(s);
  auto before = caf::make_timestamp();
  start();
  auto live = sessions();
  CAF_REQUIRE_EQUAL(live.size(), 1u);
  CAF_CHECK_GREATER_OR_EQUAL(live.front().expires_at, before + std::chrono::seconds{ttl});
  CAF_CHECK_EQUAL(view().seats_used, 1u);
  advance_time(std::chrono::seconds{ttl - 1});
  sched.run();
  CAF_CHECK_EQUAL(session_ids().count(old_id), 1u);
  // The holder can keep it alive as if nothing happened.
  CAF_CHECK(value_of(heartbeat("u-1", old_id)).expires_in == ttl);
  advance_time(1s);
  sched.run();
  CAF_CHECK_EQUAL(session_ids().count(old_id), 1u);
  advance_time(std::chrono::seconds{ttl});
  sched.run();
  CAF_CHECK(session_ids().empty());
}

CAF_TEST(no request is handled before the snapshot is in) {
  data->hold = false;
  tenant = spawn_tenant(sys, "t-1", store, tenant_options{});
  // The acquire arrives while the tenant still waits for its snapshot.
  auto out = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  sched.run();
  CAF_CHECK(value_of(out).license_id == "lic-1");
}

CAF_TEST(a failed load stops the tenant and answers waiting requests with its error) {
  data->load_error = make_error(errc::unavailable, "the database is unreachable");
  tenant = spawn_tenant(sys, "t-1", store, tenant_options{});
  auto out = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  sched.run();
  CAF_CHECK(is_errc(error_of(out), errc::unavailable));
  auto later = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  sched.run();
  CAF_CHECK(later->has_value() && !**later); // the tenant is gone
}

CAF_TEST(no seat without waiting is refused with the seat figures) {
  start();
  acquire("u-1", "hw-1");
  acquire("u-2", "hw-2");
  auto err = error_of(try_acquire("u-3", "hw-3"));
  CAF_CHECK(is_errc(err, errc::no_seats_available));
  auto denial = error_seat_denial(err);
  CAF_CHECK_EQUAL(denial.seats_used, 2u);
  CAF_CHECK_EQUAL(denial.seats_total, 2u);
  CAF_CHECK_EQUAL(denial.overdraft_seats, 0u);
  CAF_CHECK_GREATER_OR_EQUAL(denial.retry_after, 1u);
  CAF_CHECK_LESS_OR_EQUAL(denial.retry_after, interval);
  auto denies = data->noted(record_kind::deny);
  CAF_REQUIRE_EQUAL(denies.size(), 1u);
  CAF_CHECK_EQUAL(denies.front().user_id, "u-3");
  CAF_CHECK_EQUAL(denies.front().detail.at("reason"), "no_seats_available");
  CAF_CHECK_EQUAL(data->committed(record_kind::acquire).size(), 2u);
}

CAF_TEST(overdraft seats are granted beyond seats_total) {
  license().overdraft_seats = 1;
  start();
  acquire("u-1", "hw-1");
  acquire("u-2", "hw-2");
  auto third = acquire("u-3", "hw-3");
  CAF_CHECK_EQUAL(third.seats_used, 3u);
  CAF_CHECK(is_errc(error_of(try_acquire("u-4", "hw-4")), errc::no_seats_available));
}

CAF_TEST(waiters get freed seats first come first served) {
  license().seats_total = 1;
  start();
  auto first = acquire("u-1", "hw-1");
  auto second = try_acquire("u-2", "hw-2", 10);
  auto third = try_acquire("u-3", "hw-3", 10);
  CAF_CHECK(!second->has_value());
  CAF_CHECK(!third->has_value());
  CAF_CHECK(value_of(release("u-1", first.session_id)) == caf::ok_atom_v);
  auto l2 = value_of(second);
  CAF_CHECK_EQUAL(l2.user_id, "u-2");
  CAF_CHECK(!third->has_value());
  CAF_CHECK_EQUAL(view().seats_used, 1u);
  value_of(release("u-2", l2.session_id));
  CAF_CHECK_EQUAL(value_of(third).user_id, "u-3");
  // The release was recorded before the waiter's acquire.
  std::vector<record_kind> kinds;
  for (auto& rec : data->commits) {
    kinds.push_back(rec.kind);
  }
  CAF_CHECK(kinds == (std::vector<record_kind>{record_kind::acquire, record_kind::release,
                                               record_kind::acquire, record_kind::release,
                                               record_kind::acquire}));
}

CAF_TEST(a waiter is refused after wait_seconds) {
  license().seats_total = 1;
  start();
  acquire("u-1", "hw-1");
  auto waiting = try_acquire("u-2", "hw-2", 5);
  advance_time(4s);
  sched.run();
  CAF_CHECK(!waiting->has_value());
  advance_time(1s);
  sched.run();
  auto err = error_of(waiting);
  CAF_CHECK(is_errc(err, errc::no_seats_available));
  CAF_CHECK_EQUAL(error_seat_denial(err).seats_used, 1u);
  CAF_CHECK_EQUAL(data->noted(record_kind::deny).size(), 1u);
  CAF_CHECK_EQUAL(view().seats_used, 1u);
}

CAF_TEST(an expiry wakes the next waiter) {
  license().seats_total = 1;
  start();
  acquire("u-1", "hw-1");
  advance_time(10s);
  sched.run();
  auto waiting = try_acquire("u-2", "hw-2", 60);
  advance_time(20s); // the first session's deadline
  sched.run();
  CAF_CHECK_EQUAL(value_of(waiting).user_id, "u-2");
  CAF_CHECK_EQUAL(view().seats_used, 1u);
}

CAF_TEST(a second acquire by the same user and hardware renews the same session) {
  start();
  auto first = acquire("u-1", "hw-1");
  advance_time(20s);
  sched.run();
  auto again = acquire("u-1", "hw-1");
  CAF_CHECK_EQUAL(again.session_id, first.session_id);
  CAF_CHECK_EQUAL(again.seats_used, 1u);
  CAF_CHECK_GREATER(again.expires_at, first.expires_at);
  CAF_CHECK_EQUAL(data->committed(record_kind::renew).size(), 1u);
  CAF_CHECK_EQUAL(view().seats_used, 1u);
  // The renewed expiry holds: the acquire's timer is stale.
  advance_time(10s);
  sched.run();
  CAF_CHECK_EQUAL(session_ids().count(first.session_id), 1u);
  // The same hardware under another user is another session.
  auto other = acquire("u-2", "hw-1");
  CAF_CHECK_NOT_EQUAL(other.session_id, first.session_id);
  CAF_CHECK_EQUAL(view().seats_used, 2u);
}

CAF_TEST(a repeated acquire while the first is being committed gets the same session) {
  start();
  data->hold = true;
  auto a = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  auto b = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  sched.run();
  CAF_CHECK(!a->has_value());
  CAF_CHECK(!b->has_value());
  CAF_CHECK_EQUAL(view().seats_used, 1u);
  release_held();
  CAF_CHECK_EQUAL(value_of(a).session_id, value_of(b).session_id);
  CAF_CHECK_EQUAL(data->committed(record_kind::acquire).size(), 1u);
  CAF_CHECK_EQUAL(view().seats_used, 1u);
}

CAF_TEST(a repeated acquire of a holder is granted even when all seats are taken) {
  start();
  auto first = acquire("u-1", "hw-1");
  acquire("u-2", "hw-2");
  CAF_CHECK_EQUAL(acquire("u-1", "hw-1").session_id, first.session_id);
}

CAF_TEST(licenses that are not active or trial refuse acquires) {
  start();
  license_patch p;
  p.status = license_status::suspended;
  patch(p);
  CAF_CHECK(is_errc(error_of(try_acquire("u-1", "hw-1")), errc::license_suspended));
  p.status = license_status::cancelled;
  patch(p);
  CAF_CHECK(is_errc(error_of(try_acquire("u-1", "hw-1")), errc::license_cancelled));
  p.status = license_status::active;
  p.expires_at = caf::make_timestamp() - 1s;
  patch(p);
  CAF_CHECK(is_errc(error_of(try_acquire("u-1", "hw-1")), errc::license_expired));
  p.expires_at = caf::none;
  p.clear_expires_at = true;
  p.status = license_status::trial;
  patch(p);
  acquire("u-1", "hw-1");
  auto denies = data->noted(record_kind::deny);
  CAF_REQUIRE_EQUAL(denies.size(), 3u);
  CAF_CHECK_EQUAL(denies[0].detail.at("reason"), "license_suspended");
  CAF_CHECK_EQUAL(denies[2].detail.at("reason"), "license_expired");
}

CAF_TEST(an unknown license or product is not found) {
  start();
  auto req = request_of("u-1", "hw-1");
  req.license_id = "lic-x";
  CAF_CHECK(is_errc(error_of(ask<lease>(acquire_atom_v, req)), errc::not_found));
  req.license_id.clear();
  req.product = "other";
  CAF_CHECK(is_errc(error_of(ask<lease>(acquire_atom_v, req)), errc::not_found));
}

CAF_TEST(a seat reduction keeps sessions and refuses acquires until usage is under the limit) {
  start();
  auto a = acquire("u-1", "hw-1");
  auto b = acquire("u-2", "hw-2");
  license_patch p;
  p.seats_total = 1u;
  auto v = patch(p);
  CAF_CHECK_EQUAL(v.terms.seats_total, 1u);
  CAF_CHECK_EQUAL(v.seats_used, 2u);
  CAF_CHECK_EQUAL(session_ids().size(), 2u);
  auto updates = data->committed(record_kind::license_update);
  CAF_REQUIRE_EQUAL(updates.size(), 1u);
  CAF_REQUIRE(updates.front().license);
  CAF_CHECK_EQUAL(updates.front().license->seats_total, 1u);
  value_of(release("u-1", a.session_id));
  CAF_CHECK(is_errc(error_of(try_acquire("u-3", "hw-3")), errc::no_seats_available));
  value_of(release("u-2", b.session_id));
  CAF_CHECK_EQUAL(acquire("u-3", "hw-3").seats_used, 1u);
}

CAF_TEST(more seats are given to waiters at once) {
  license().seats_total = 1;
  start();
  acquire("u-1", "hw-1");
  auto waiting = try_acquire("u-2", "hw-2", 30);
  license_patch p;
  p.seats_total = 2u;
  patch(p);
  CAF_CHECK_EQUAL(value_of(waiting).seats_total, 2u);
}

CAF_TEST(a suspension answers the waiters) {
  license().seats_total = 1;
  start();
  acquire("u-1", "hw-1");
  auto waiting = try_acquire("u-2", "hw-2", 30);
  license_patch p;
  p.status = license_status::suspended;
  patch(p);
  CAF_CHECK(is_errc(error_of(waiting), errc::license_suspended));
}

CAF_TEST(a failed commit gives the reserved seat back) {
  license().seats_total = 1;
  start();
  data->unavailable = true;
  CAF_CHECK(is_errc(error_of(try_acquire("u-1", "hw-1")), errc::unavailable));
  CAF_CHECK_EQUAL(view().seats_used, 0u);
  CAF_CHECK(sessions().empty());
  data->unavailable = false;
  CAF_CHECK_EQUAL(acquire("u-2", "hw-2").seats_used, 1u);
}

CAF_TEST(concurrent acquires never take more seats than there are) {
  license().seats_total = 1;
  start();
  data->hold = true; // both acquires are decided while the first commit is in flight
  auto a = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  auto b = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-2", "hw-2"));
  sched.run();
  CAF_CHECK(!a->has_value());
  CAF_CHECK(is_errc(error_of(b), errc::no_seats_available));
  CAF_CHECK_EQUAL(view().seats_used, 1u); // reserved
  release_held();
  CAF_CHECK_EQUAL(value_of(a).seats_used, 1u);
}

CAF_TEST(a seat stays reserved for as long as its commit takes) {
  license().seats_total = 1;
  start();
  data->hold = true;
  auto a = send_request<lease>(sys, tenant, acquire_atom_v, request_of("u-1", "hw-1"));
  sched.run();
  // Far beyond any timeout: the seat is neither granted nor given back before the store answers.
  advance_time(options().store_timeout + 1h);
  sched.run();
  CAF_CHECK(!a->has_value());
  CAF_CHECK_EQUAL(view().seats_used, 1u);
  CAF_CHECK(is_errc(error_of(try_acquire("u-2", "hw-2")), errc::no_seats_available));
  release_held();
  CAF_CHECK_EQUAL(value_of(a).seats_used, 1u);
  CAF_CHECK_EQUAL(data->committed(record_kind::acquire).size(), 1u);
}

CAF_TEST(a tenant whose store stops ends as unavailable) {
  start();
  acquire("u-1", "hw-1");
  caf::error reason;
  // Kept in a handle: an actor nobody refers to ends as unreachable.
  auto watcher = sys.spawn(
    [&reason](caf::event_based_actor* observer, tenant_actor t) -> caf::behavior {
      observer->monitor(t);
      observer->set_down_handler([observer, &reason](caf::down_msg& msg) {
        reason = msg.reason;
        observer->quit();
      });
      return {[](caf::ok_atom) {}}; // stays until the tenant is down
    },
    tenant);
  sched.run();
  anon_send_exit(store, caf::exit_reason::kill);
  sched.run();
  CAF_REQUIRE(reason);
  CAF_CHECK(is_errc(reason, errc::unavailable));
  anon_send_exit(watcher, caf::exit_reason::user_shutdown);
}

CAF_TEST(a release is acknowledged only after the store replies) {
  start();
  auto l = acquire("u-1", "hw-1");
  data->hold = true;
  auto out = release("u-1", l.session_id);
  CAF_CHECK(!out->has_value());
  CAF_CHECK_EQUAL(view().seats_used, 0u); // freed in memory at once
  CAF_CHECK_EQUAL(data->committed(record_kind::release).size(), 1u);
  release_held();
  CAF_CHECK(value_of(out) == caf::ok_atom_v);
  CAF_CHECK(is_errc(error_of(release("u-1", l.session_id)), errc::session_not_found));
}

CAF_TEST(members touch only their own sessions and only managers revoke) {
  start();
  auto mine = acquire("u-1", "hw-1");
  auto theirs = acquire("u-2", "hw-2");
  CAF_CHECK(is_errc(error_of(heartbeat("u-1", theirs.session_id)), errc::session_not_found));
  CAF_CHECK(is_errc(error_of(release("u-1", theirs.session_id)), errc::session_not_found));
  auto own =
    value_of(ask<std::vector<session_record>>(list_sessions_atom_v, make_caller("t-1", "u-1")));
  CAF_REQUIRE_EQUAL(own.size(), 1u);
  CAF_CHECK_EQUAL(own.front().id, mine.session_id);
  CAF_CHECK_EQUAL(sessions().size(), 2u);
  auto revoke_as = [&](std::string user, role r) {
    return ask<caf::ok_atom>(revoke_atom_v, session_of(std::move(user), theirs.session_id, r));
  };
  CAF_CHECK(is_errc(error_of(revoke_as("u-2", role::member)), errc::forbidden));
  CAF_CHECK(is_errc(error_of(revoke_as("u-2", role::guest)), errc::forbidden));
  CAF_CHECK(value_of(revoke_as("boss", role::admin)) == caf::ok_atom_v);
  auto revokes = data->committed(record_kind::revoke);
  CAF_REQUIRE_EQUAL(revokes.size(), 1u);
  CAF_CHECK_EQUAL(revokes.front().session_id, theirs.session_id);
  CAF_CHECK_EQUAL(revokes.front().user_id, "u-2");
  CAF_CHECK(is_errc(error_of(heartbeat("u-2", theirs.session_id)), errc::session_not_found));
  // An owner may heartbeat anyone's session of the tenant.
  auto ack = ask<heartbeat_ack>(heartbeat_atom_v, session_of("boss", mine.session_id, role::owner));
  CAF_CHECK_EQUAL(value_of(ack).expires_in, ttl);
}

CAF_TEST(a session id of another tenant is not found) {
  start();
  auto l = acquire("u-1", "hw-1");
  session_request req{make_caller("t-2", "u-1", role::owner), l.session_id};
  CAF_CHECK(is_errc(error_of(ask<heartbeat_ack>(heartbeat_atom_v, req)), errc::session_not_found));
  CAF_CHECK(is_errc(error_of(ask<caf::ok_atom>(release_atom_v, req)), errc::session_not_found));
}

CAF_TEST(a new license is committed first and then grants seats) {
  start();
  auto terms = make_license("lic-2", 1);
  terms.product = "cad";
  auto v = value_of(ask<license_view>(add_license_atom_v, terms));
  CAF_CHECK_EQUAL(v.terms.id, "lic-2");
  CAF_CHECK_EQUAL(v.seats_used, 0u);
  auto creates = data->committed(record_kind::license_create);
  CAF_REQUIRE_EQUAL(creates.size(), 1u);
  CAF_CHECK_EQUAL(creates.front().epoch, 7u);
  CAF_CHECK(creates.front().license && creates.front().license->product == "cad");
  auto req = request_of("u-1", "hw-1");
  req.product = "cad";
  CAF_CHECK_EQUAL(value_of(ask<lease>(acquire_atom_v, req)).license_id, "lic-2");
  CAF_CHECK_EQUAL(view("lic-2").seats_used, 1u);
  CAF_CHECK(is_errc(error_of(ask<license_view>(add_license_atom_v, terms)), errc::conflict));
}

CAF_TEST(license timing terms are validated before anything is committed) {
  start();
  auto terms = make_license("lic-2", 1);
  terms.session_ttl = 1;
  CAF_CHECK(is_errc(error_of(ask<license_view>(add_license_atom_v, terms)), errc::bad_request));
  terms.session_ttl = 10;
  terms.heartbeat_interval = 10;
  CAF_CHECK(is_errc(error_of(ask<license_view>(add_license_atom_v, terms)), errc::bad_request));
  license_patch p;
  p.tenant_id = "t-1";
  p.license_id = "lic-1";
  p.heartbeat_interval = 0u;
  CAF_CHECK(is_errc(error_of(ask<license_view>(patch_license_atom_v, p)), errc::bad_request));
  p.heartbeat_interval = ttl;
  CAF_CHECK(is_errc(error_of(ask<license_view>(patch_license_atom_v, p)), errc::bad_request));
  CAF_CHECK(data->commits.empty());
  CAF_CHECK_EQUAL(view().terms.heartbeat_interval, interval);
}

CAF_TEST(a license change that fails to commit changes nothing) {
  start();
  data->unavailable = true;
  license_patch p;
  p.tenant_id = "t-1";
  p.license_id = "lic-1";
  p.seats_total = 9u;
  CAF_CHECK(is_errc(error_of(ask<license_view>(patch_license_atom_v, p)), errc::unavailable));
  CAF_CHECK_EQUAL(view().terms.seats_total, 2u);
}

CAF_TEST(a license change waits for its commit however long it takes) {
  // The default store timeout: a change given up on while its record still commits would leave
  // the ledger's terms behind the database's (more seats here than the license has there).
  tenant = spawn_tenant(sys, "t-1", store, tenant_options{});
  sched.run();
  data->hold = true;
  license_patch p;
  p.tenant_id = "t-1";
  p.license_id = "lic-1";
  p.seats_total = 1u;
  auto r = send_request<license_view>(sys, tenant, patch_license_atom_v, p);
  sched.run();
  advance_time(tenant_options{}.store_timeout + 1h);
  sched.run();
  CAF_CHECK(!r->has_value());
  release_held();
  CAF_CHECK_EQUAL(value_of(r).terms.seats_total, 1u);
  CAF_CHECK_EQUAL(view().terms.seats_total, 1u);
}

CAF_TEST(random acquires releases heartbeats and expiries never exceed the seat limit) {
  license().seats_total = 3;
  license().overdraft_seats = 1;
  start();
  constexpr uint32_t limit = 4;
  std::mt19937_64 rng{20261121};
  std::vector<std::pair<std::string, std::string>> held; // (user, session id)
  std::vector<reply<lease>> in_flight;
  auto collect = [&] {
    for (auto i = in_flight.begin(); i != in_flight.end();) {
      if ((*i)->has_value()) {
        if (***i) {
          auto& l = ****i;
          if (std::none_of(held.begin(), held.end(),
                           [&](auto& h) { return h.second == l.session_id; })) {
            held.emplace_back(l.user_id, l.session_id);
          }
        }
        i = in_flight.erase(i);
      } else {
        ++i;
      }
    }
  };
  for (int step = 0; step < 400; ++step) {
    switch (rng() % 6) {
    case 0:
    case 1: {
      // A burst of acquires that the tenant sees back to back.
      auto n = 1 + rng() % 3;
      for (uint64_t k = 0; k < n; ++k) {
        auto user = "u-" + std::to_string(rng() % 8);
        auto wait = static_cast<uint32_t>(rng() % 3 == 0 ? rng() % 20 : 0);
        in_flight.push_back(
          send_request<lease>(sys, tenant, acquire_atom_v, request_of(user, "hw-" + user, wait)));
      }
      sched.run();
      break;
    }
    case 2:
      if (!held.empty()) {
        auto i = rng() % held.size();
        release(held[i].first, held[i].second);
      }
      break;
    case 3:
      if (!held.empty()) {
        auto i = rng() % held.size();
        heartbeat(held[i].first, held[i].second);
      }
      break;
    default:
      advance_time(std::chrono::seconds{rng() % 12});
      sched.run();
    }
    collect();
    auto live = sessions();
    auto used = view().seats_used;
    CAF_REQUIRE_LESS_OR_EQUAL(used, limit);
    CAF_REQUIRE_LESS_OR_EQUAL(live.size(), limit);
    CAF_REQUIRE_EQUAL(used, live.size());
    std::set<std::string> ids;
    for (auto& s : live) {
      ids.insert(s.id);
    }
    held.erase(
      std::remove_if(held.begin(), held.end(), [&](auto& h) { return ids.count(h.second) == 0; }),
      held.end());
  }
  // Each acquire record is a seat taken; each end record gives one back.
  int64_t balance = 0;
  for (auto& rec : data->commits) {
    if (rec.kind == record_kind::acquire) {
      ++balance;
    } else if (ends_session(rec.kind)) {
      --balance;
    }
    CAF_REQUIRE_LESS_OR_EQUAL(balance, static_cast<int64_t>(limit));
  }
  CAF_CHECK_EQUAL(balance, static_cast<int64_t>(sessions().size()));
  CAF_CHECK_GREATER(data->committed(record_kind::expire).size(), 0u);
  CAF_CHECK_GREATER(data->noted(record_kind::deny).size(), 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
