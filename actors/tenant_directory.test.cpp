#define CAF_SUITE actors.tenant_directory

#include "actors/tenant_directory.hpp"

#include "actors/errc.hpp"
#include "actors/fake_store.test.hpp"
#include "tests/fixtures/actor_fixture.hpp"

#include <chrono>
#include <memory>

using namespace leasehold;
using namespace std::chrono_literals;

namespace {

license_terms make_license(std::string tenant_id, std::string id, uint32_t seats) {
  license_terms terms;
  terms.id = std::move(id);
  terms.tenant_id = std::move(tenant_id);
  terms.seats_total = seats;
  terms.session_ttl = 30;
  terms.heartbeat_interval = 10;
  terms.created_at = caf::make_timestamp();
  return terms;
}

/// Sets `*down` once `target` terminates.
caf::behavior watcher(caf::event_based_actor* self, std::shared_ptr<bool> down, caf::actor target) {
  self->monitor(target);
  self->set_down_handler([self, down](caf::down_msg&) {
    *down = true;
    self->quit();
  });
  return {[](int) {}};
}

struct fixture : reply_fixture {
  fake_store_ptr data = std::make_shared<fake_store_data>();
  fake_store_actor fake;
  tenant_directory_actor directory;

  fixture() {
    fake = sys.spawn(fake_store, data);
    for (auto id : {"t-1", "t-2"}) {
      auto& snapshot = data->tenants[id];
      snapshot.tenant_id = id;
      snapshot.epoch = 1;
      snapshot.licenses.push_back(make_license(id, std::string{"lic-"} + id, 2));
    }
    directory = spawn_tenant_directory(sys, store_actor{fake}, tenant_options{});
    sched.run();
  }

  ~fixture() {
    anon_send_exit(directory, caf::exit_reason::user_shutdown);
    anon_send_exit(fake, caf::exit_reason::user_shutdown);
    sched.run();
  }

  template <class T, class... Ts> reply<T> ask(Ts... xs) {
    auto out = send_request<T>(sys, tenant_api{directory}, std::move(xs)...);
    sched.run();
    return out;
  }

  static acquire_request acquire_req(std::string tenant_id, std::string user,
                                     uint32_t wait_seconds = 0) {
    acquire_request req;
    req.wait_seconds = wait_seconds;
    req.who = make_caller(std::move(tenant_id), user);
    req.hardware_id = "hw-" + user;
    return req;
  }

  reply<lease> acquire(std::string tenant_id, std::string user, uint32_t wait_seconds = 0) {
    return ask<lease>(acquire_atom_v, acquire_req(std::move(tenant_id), user, wait_seconds));
  }

  void release(std::string tenant_id, std::string user, std::string session_id) {
    session_request req{make_caller(std::move(tenant_id), std::move(user)), std::move(session_id)};
    value_of(ask<caf::ok_atom>(release_atom_v, req));
  }

  /// Leaves t-1 running and idle, with the requests it served one idle check ago: the next
  /// check finds it quiet.
  caf::actor quiet_tenant() {
    release("t-1", "u-1", value_of(acquire("t-1", "u-1")).session_id);
    advance_time(idle);
    sched.run(); // this check sees the requests above
    return last_tenant();
  }

  caf::timespan idle = tenant_options{}.idle_timeout;

  std::vector<session_record> sessions(std::string tenant_id) {
    return value_of(ask<std::vector<session_record>>(
      list_sessions_atom_v, make_caller(std::move(tenant_id), "boss", role::owner)));
  }

  actor_kind_stats stats() {
    auto out = std::make_shared<std::optional<caf::expected<supervision_stats>>>();
    sys.spawn(ask_once<supervision_stats, tenant_directory_actor, stats_atom>, out, directory,
              stats_atom_v);
    sched.run();
    auto result = value_of(out);
    CAF_REQUIRE_EQUAL(result.kinds.size(), 1u);
    CAF_CHECK_EQUAL(result.kinds.front().kind, "tenant");
    return result.kinds.front();
  }

  /// The tenant actor that loaded last.
  caf::actor last_tenant() {
    CAF_REQUIRE(!data->loaders.empty());
    return caf::actor_cast<caf::actor>(data->loaders.back());
  }

  std::vector<caf::actor> watchers; // unreferenced actors would end at once

  std::shared_ptr<bool> watch(caf::actor target) {
    auto down = std::make_shared<bool>(false);
    watchers.push_back(sys.spawn(watcher, down, std::move(target)));
    sched.run();
    return down;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(tenant_directory_tests, fixture)

CAF_TEST(requests reach the tenant they name and tenants start on first use) {
  CAF_CHECK_EQUAL(stats().running, 0u);
  auto a = value_of(acquire("t-1", "u-1"));
  CAF_CHECK_EQUAL(a.tenant_id, "t-1");
  CAF_CHECK_EQUAL(a.license_id, "lic-t-1");
  auto b = value_of(acquire("t-2", "u-1"));
  CAF_CHECK_EQUAL(b.license_id, "lic-t-2");
  value_of(acquire("t-1", "u-2"));
  CAF_CHECK_EQUAL(sessions("t-1").size(), 2u);
  CAF_CHECK_EQUAL(sessions("t-2").size(), 1u);
  auto views = value_of(ask<std::vector<license_view>>(list_licenses_atom_v, std::string{"t-1"}));
  CAF_REQUIRE_EQUAL(views.size(), 1u);
  CAF_CHECK_EQUAL(views.front().seats_used, 2u);
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 2u);
  CAF_CHECK_EQUAL(s.started, 2u);
  CAF_CHECK_EQUAL(s.restarts, 0u);
  CAF_CHECK(s.failures.empty());
  CAF_CHECK_EQUAL(data->loaders.size(), 2u);
}

CAF_TEST(license changes reach the tenant named in the terms) {
  auto terms = make_license("t-2", "lic-new", 5);
  CAF_CHECK_EQUAL(value_of(ask<license_view>(add_license_atom_v, terms)).terms.seats_total, 5u);
  license_patch patch;
  patch.tenant_id = "t-2";
  patch.license_id = "lic-new";
  patch.seats_total = 7u;
  CAF_CHECK_EQUAL(value_of(ask<license_view>(patch_license_atom_v, patch)).terms.seats_total, 7u);
  patch.tenant_id = "t-1"; // the license is not t-1's
  CAF_CHECK(is_errc(error_of(ask<license_view>(patch_license_atom_v, patch)), errc::not_found));
}

CAF_TEST(a session id of another tenant is not found) {
  auto l = value_of(acquire("t-1", "u-1"));
  session_request req{make_caller("t-2", "u-1", role::owner), l.session_id};
  CAF_CHECK(is_errc(error_of(ask<heartbeat_ack>(heartbeat_atom_v, req)), errc::session_not_found));
  CAF_CHECK(is_errc(error_of(ask<caf::ok_atom>(release_atom_v, req)), errc::session_not_found));
  CAF_CHECK(is_errc(error_of(ask<caf::ok_atom>(revoke_atom_v, req)), errc::session_not_found));
  CAF_CHECK_EQUAL(sessions("t-1").size(), 1u);
}

CAF_TEST(an unknown tenant is not found and does not count as a failure) {
  CAF_CHECK(is_errc(error_of(acquire("t-9", "u-1")), errc::not_found));
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 0u);
  CAF_CHECK_EQUAL(s.started, 1u);
  CAF_CHECK(s.failures.empty());
  // A tenant created later starts on its next request.
  auto& snapshot = data->tenants["t-9"];
  snapshot.tenant_id = "t-9";
  snapshot.licenses.push_back(make_license("t-9", "lic-t-9", 1));
  CAF_CHECK_EQUAL(value_of(acquire("t-9", "u-1")).license_id, "lic-t-9");
  CAF_CHECK_EQUAL(stats().restarts, 0u);
}

CAF_TEST(a failed tenant is restarted from the record and counted) {
  auto l = value_of(acquire("t-1", "u-1"));
  value_of(acquire("t-2", "u-1"));
  CAF_REQUIRE_EQUAL(data->loaders.size(), 2u);
  auto first = caf::actor_cast<caf::actor>(data->loaders[0]);
  self->send_exit(first, make_error(errc::internal, "ledger corrupted"));
  sched.run();
  // Restarted at once: it loaded again, and its session lives on.
  CAF_CHECK_EQUAL(data->loaders.size(), 3u);
  CAF_CHECK_NOT_EQUAL(data->loaders.back(), first.address());
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 2u);
  CAF_CHECK_EQUAL(s.started, 3u);
  CAF_CHECK_EQUAL(s.restarts, 1u);
  CAF_REQUIRE_EQUAL(s.failures.size(), 1u);
  CAF_CHECK_NOT_EQUAL(s.failures.begin()->first.find("internal"), std::string::npos);
  CAF_CHECK_EQUAL(s.failures.begin()->second, 1u);
  auto live = sessions("t-1");
  CAF_REQUIRE_EQUAL(live.size(), 1u);
  CAF_CHECK_EQUAL(live.front().id, l.session_id);
  auto ack =
    ask<heartbeat_ack>(heartbeat_atom_v, session_request{make_caller("t-1", "u-1"), l.session_id});
  CAF_CHECK_EQUAL(value_of(ack).expires_in, 30u);
  // The other tenant never noticed.
  CAF_CHECK_EQUAL(sessions("t-2").size(), 1u);
}

CAF_TEST(a tenant that cannot load without a database is restarted by the next request) {
  data->load_error = make_error(errc::unavailable, "the database is unreachable");
  CAF_CHECK(is_errc(error_of(acquire("t-1", "u-1")), errc::unavailable));
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 0u);
  CAF_CHECK_EQUAL(s.failures.size(), 1u);
  CAF_CHECK_EQUAL(data->loaders.size(), 1u); // no restart loop
  data->load_error = caf::none;
  CAF_CHECK_EQUAL(value_of(acquire("t-1", "u-1")).tenant_id, "t-1");
  s = stats();
  CAF_CHECK_EQUAL(s.running, 1u);
  CAF_CHECK_EQUAL(s.restarts, 1u);
}

CAF_TEST(a tenant that keeps failing is not restarted in a loop) {
  value_of(acquire("t-1", "u-1"));
  data->load_error = make_error(errc::internal, "broken snapshot");
  self->send_exit(last_tenant(), make_error(errc::internal, "ledger corrupted"));
  sched.run();
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 0u);
  // One start plus a bounded number of immediate restarts, then it waits for a request.
  CAF_CHECK_EQUAL(s.started, 4u);
  CAF_CHECK_EQUAL(s.restarts, 3u);
  data->load_error = caf::none;
  CAF_CHECK_EQUAL(sessions("t-1").size(), 1u);
  CAF_CHECK_EQUAL(stats().running, 1u);
}

CAF_TEST(stats report the mailboxes of running tenants) {
  value_of(acquire("t-1", "u-1"));
  value_of(acquire("t-2", "u-1"));
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 2u);
  CAF_CHECK_LESS_OR_EQUAL(s.mailbox_max, s.mailbox_total);
  CAF_CHECK_EQUAL(s.parked, 0u);
}

CAF_TEST(stats count the acquires waiting for a seat) {
  value_of(acquire("t-1", "u-1"));
  value_of(acquire("t-1", "u-2")); // both seats of t-1 taken
  auto waiting = acquire("t-1", "u-3", 30);
  sched.run();
  CAF_CHECK(!waiting->has_value());
  CAF_CHECK_EQUAL(stats().parked, 1u);
}

CAF_TEST(an exit to the directory stops its tenants and then the directory) {
  value_of(acquire("t-1", "u-1"));
  value_of(acquire("t-2", "u-1"));
  auto t1 = watch(caf::actor_cast<caf::actor>(data->loaders[0]));
  auto t2 = watch(caf::actor_cast<caf::actor>(data->loaders[1]));
  auto dir = watch(caf::actor_cast<caf::actor>(directory));
  anon_send_exit(directory, caf::exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK(*t1);
  CAF_CHECK(*t2);
  CAF_CHECK(*dir);
}

CAF_TEST(an idle tenant is passivated after a quiet period and restarts from the record) {
  auto first = quiet_tenant();
  auto down = watch(first);
  CAF_CHECK(!*down);
  CAF_CHECK_EQUAL(stats().running, 1u); // probes are not requests
  advance_time(idle);
  sched.run();
  CAF_CHECK(*down);
  auto s = stats();
  CAF_CHECK_EQUAL(s.running, 0u);
  CAF_CHECK_EQUAL(s.restarts, 0u);
  CAF_CHECK(s.failures.empty());
  // Its next request starts it again, from the record.
  auto views = value_of(ask<std::vector<license_view>>(list_licenses_atom_v, std::string{"t-1"}));
  CAF_REQUIRE_EQUAL(views.size(), 1u);
  CAF_CHECK_EQUAL(views.front().seats_used, 0u);
  CAF_CHECK_EQUAL(data->loaders.size(), 2u);
  s = stats();
  CAF_CHECK_EQUAL(s.running, 1u);
  CAF_CHECK_EQUAL(s.started, 2u);
  CAF_CHECK_EQUAL(s.restarts, 0u);
}

CAF_TEST(a tenant with a live session or an unanswered record is not passivated) {
  auto l = value_of(acquire("t-1", "u-1"));
  session_request beat{make_caller("t-1", "u-1"), l.session_id};
  for (auto t = caf::timespan::zero(); t < 3 * idle; t += std::chrono::seconds{20}) {
    advance_time(std::chrono::seconds{20});
    value_of(ask<heartbeat_ack>(heartbeat_atom_v, beat));
  }
  CAF_CHECK_EQUAL(data->loaders.size(), 1u);
  CAF_CHECK_EQUAL(sessions("t-1").size(), 1u);
  // A release whose record is not answered yet.
  data->hold = true;
  auto released = ask<caf::ok_atom>(release_atom_v, beat);
  for (int check = 0; check < 3; ++check) {
    advance_time(idle);
    sched.run();
  }
  CAF_CHECK(!released->has_value());
  CAF_CHECK_EQUAL(stats().running, 1u);
  data->hold = false;
  caf::anon_send(fake, flush_atom_v);
  sched.run();
  value_of(released);
  CAF_CHECK_EQUAL(data->loaders.size(), 1u);
}

CAF_TEST(requests that come while a tenant is asked to stop go to its successor) {
  auto first = quiet_tenant();
  advance_time(idle);
  expect((idle_check_atom), from(first).to(first));
  expect((idle_atom), from(first).to(directory));
  // The directory asked it to stop; a request it gets before the answer waits for the outcome.
  auto views = std::make_shared<std::optional<caf::expected<std::vector<license_view>>>>();
  auto client =
    sys.spawn(ask_once<std::vector<license_view>, tenant_api, list_licenses_atom, std::string>,
              views, tenant_api{directory}, list_licenses_atom_v, std::string{"t-1"});
  sched.prioritize(client);
  sched.run_once();
  expect((list_licenses_atom, std::string), from(client).to(directory));
  sched.run();
  CAF_CHECK_EQUAL(value_of(views).size(), 1u);
  CAF_CHECK_EQUAL(data->loaders.size(), 2u);
  CAF_CHECK_NOT_EQUAL(last_tenant(), first);
  CAF_CHECK_EQUAL(stats().running, 1u);
}

CAF_TEST(a tenant that got a request after its idle notice stays and serves the held ones) {
  auto first = quiet_tenant();
  advance_time(idle);
  expect((idle_check_atom), from(first).to(first));
  // Sent straight to the tenant, as the edge does once it knows the actor: before the
  // directory's question.
  caf::anon_send(caf::actor_cast<tenant_actor>(first), acquire_atom_v, acquire_req("t-1", "u-2"));
  expect((idle_atom), from(first).to(directory));
  auto held = send_request<std::vector<license_view>>(sys, tenant_api{directory},
                                                      list_licenses_atom_v, std::string{"t-1"});
  sched.run();
  auto views = value_of(held);
  CAF_REQUIRE_EQUAL(views.size(), 1u);
  CAF_CHECK_EQUAL(views.front().seats_used, 1u);
  CAF_CHECK_EQUAL(data->loaders.size(), 1u);
  CAF_CHECK_EQUAL(stats().running, 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
