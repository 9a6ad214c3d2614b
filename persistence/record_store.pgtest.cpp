#define CAF_SUITE persistence.record_store

#include "persistence/record_store.hpp"

#include "actors/errc.hpp"
#include "actors/type_ids.hpp"
#include "persistence/persistence_types.hpp"
#include "persistence/test_database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

using namespace leasehold;
using namespace leasehold::persistence;
using namespace std::chrono_literals;

namespace {

std::string new_uuid() {
  static std::mt19937_64 gen{std::random_device{}()};
  auto a = gen();
  auto b = gen();
  char buf[40];
  std::snprintf(
    buf, sizeof(buf), "%08llx-%04llx-4%03llx-a%03llx-%012llx",
    static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
    static_cast<unsigned long long>(a & 0xfff), static_cast<unsigned long long>(b >> 52),
    static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

caf::timestamp at_seconds(int64_t s) {
  return caf::timestamp{
    std::chrono::duration_cast<caf::timestamp::duration>(std::chrono::seconds{1795000000 + s})};
}

struct fixture {
  test_database db;
  pg_test_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  store_actor store;
  std::string tenant = new_uuid();
  std::string license = new_uuid();

  fixture() {
    sys = std::make_unique<caf::actor_system>(cfg);
    record_store_options opts;
    opts.shards = 2; // records of one tenant stay on one shard, tenants spread
    opts.note_delay = 100ms;
    opts.reconnect_min = 50ms;
    opts.reconnect_max = 200ms;
    store = spawn_record_store(*sys, db.dsn(), opts);
    add_tenant(tenant);
    CAF_REQUIRE_EQUAL(commit(license_record(tenant, license, record_kind::license_create, 5)),
                      caf::none);
  }

  ~fixture() {
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    store = nullptr;
    sys.reset(); // waits for the writers before the database goes away
  }

  void add_tenant(const std::string& id) {
    auto conn = db.connect();
    CAF_REQUIRE(
      conn.exec("INSERT INTO tenants (id, name, slug) VALUES ($1::uuid, 'T', $1::text)", id));
  }

  static record license_record(const std::string& tid, const std::string& lid, record_kind kind,
                               uint32_t seats) {
    record rec;
    rec.kind = kind;
    rec.tenant_id = tid;
    rec.license_id = lid;
    rec.at = at_seconds(0);
    license_terms terms;
    terms.id = lid;
    terms.tenant_id = tid;
    terms.key = "LH-" + lid;
    terms.tier = license_tier::team;
    terms.seats_total = seats;
    terms.features = {{"export", true}, {"beta", false}};
    terms.heartbeat_interval = 30;
    terms.session_ttl = 60;
    terms.created_at = at_seconds(0);
    rec.license = terms;
    return rec;
  }

  static record acquire_record(const std::string& tid, const std::string& lid,
                               const std::string& sid) {
    record rec;
    rec.kind = record_kind::acquire;
    rec.tenant_id = tid;
    rec.license_id = lid;
    rec.session_id = sid;
    rec.user_id = new_uuid();
    rec.hardware_id = "hw-" + sid.substr(0, 8);
    rec.at = at_seconds(10);
    session_record s;
    s.id = sid;
    s.tenant_id = tid;
    s.license_id = lid;
    s.user_id = rec.user_id;
    s.user_email = "user@example.com";
    s.hardware_id = rec.hardware_id;
    s.hostname = "ws-17";
    s.os = "linux";
    s.version = "1.2.3";
    s.acquired_at = at_seconds(10);
    s.last_heartbeat_at = at_seconds(10);
    s.expires_at = at_seconds(70);
    rec.session = s;
    return rec;
  }

  static record end_record(const std::string& tid, const std::string& sid, record_kind kind) {
    record rec;
    rec.kind = kind;
    rec.tenant_id = tid;
    rec.session_id = sid;
    rec.at = at_seconds(20);
    return rec;
  }

  caf::error commit(const record& rec) {
    caf::scoped_actor self{*sys};
    caf::error result;
    self->request(store, caf::infinite, commit_atom_v, rec)
      .receive([](caf::ok_atom) {}, [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  // Sends all records at once (all in flight), then collects every reply.
  std::vector<caf::error> commit_all(const std::vector<record>& recs) {
    caf::scoped_actor self{*sys};
    using handle = decltype(self->request(store, caf::infinite, commit_atom_v, recs.front()));
    std::vector<handle> pending;
    for (auto& rec : recs) {
      pending.push_back(self->request(store, caf::infinite, commit_atom_v, rec));
    }
    std::vector<caf::error> results;
    for (auto& h : pending) {
      caf::error result;
      h.receive([](caf::ok_atom) {}, [&](caf::error& err) { result = std::move(err); });
      results.push_back(std::move(result));
    }
    return results;
  }

  caf::expected<tenant_snapshot> load(const std::string& tid) {
    caf::scoped_actor self{*sys};
    caf::expected<tenant_snapshot> result{tenant_snapshot{}};
    self->request(store, caf::infinite, load_atom_v, tid)
      .receive([&](tenant_snapshot& x) { result = std::move(x); },
               [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  record_store_stats stats() {
    caf::scoped_actor self{*sys};
    record_store_stats result;
    self->request(caf::actor_cast<record_store_actor>(store), caf::infinite, stats_atom_v)
      .receive([&](record_store_stats& x) { result = x; },
               [&](caf::error& err) { CAF_CHECK_EQUAL(sys->render(err), ""); });
    return result;
  }

  // Makes the test database refuse connections and cuts the existing ones.
  void cut_database() {
    auto admin = pg_connection::connect(db.server_dsn());
    CAF_REQUIRE(admin);
    CAF_REQUIRE(
      admin->exec("ALTER DATABASE " + quote_identifier(db.name()) + " ALLOW_CONNECTIONS false"));
    CAF_REQUIRE(admin->exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = $1",
                            db.name()));
  }

  void restore_database() {
    auto admin = pg_connection::connect(db.server_dsn());
    CAF_REQUIRE(admin);
    CAF_REQUIRE(
      admin->exec("ALTER DATABASE " + quote_identifier(db.name()) + " ALLOW_CONNECTIONS true"));
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(record_store_tests, fixture)

CAF_TEST(an acquire is committed before its reply arrives) {
  auto sid = new_uuid();
  CAF_REQUIRE_EQUAL(commit(acquire_record(tenant, license, sid)), caf::none);
  CAF_CHECK_EQUAL(
    db.scalar("SELECT count(*) FROM sessions WHERE id = '" + sid + "' AND ended_at IS NULL"), "1");
  CAF_CHECK_EQUAL(db.scalar("SELECT action || ' ' || hardware_id FROM audit_log WHERE "
                            "session_id = '" +
                            sid + "'"),
                  "acquire hw-" + sid.substr(0, 8));
}

CAF_TEST(a session end closes the session and is audited once) {
  auto sid = new_uuid();
  CAF_REQUIRE_EQUAL(commit(acquire_record(tenant, license, sid)), caf::none);
  CAF_REQUIRE_EQUAL(commit(end_record(tenant, sid, record_kind::release)), caf::none);
  // A retried end (after an outage) changes nothing.
  CAF_REQUIRE_EQUAL(commit(end_record(tenant, sid, record_kind::expire)), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT end_reason FROM sessions WHERE id = '" + sid + "'"), "release");
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                            "WHERE session_id = '" +
                            sid + "'"),
                  "acquire,release");
  // The end's audit row takes license, user and hardware id from the session.
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM audit_log WHERE session_id = '" + sid +
                            "' AND license_id = '" + license + "' AND user_id IS NOT NULL"),
                  "2");
}

CAF_TEST(records of many tenants share transactions) {
  std::vector<std::string> tenants;
  std::vector<record> licenses;
  for (int i = 0; i < 20; ++i) {
    tenants.push_back(new_uuid());
    add_tenant(tenants.back());
    licenses.push_back(
      license_record(tenants.back(), new_uuid(), record_kind::license_create, 100));
  }
  for (auto& err : commit_all(licenses)) {
    CAF_CHECK_EQUAL(err, caf::none);
  }
  auto before = stats();
  std::vector<record> acquires;
  for (int i = 0; i < 400; ++i) {
    auto& lic = licenses[static_cast<size_t>(i) % licenses.size()];
    acquires.push_back(acquire_record(lic.tenant_id, lic.license_id, new_uuid()));
  }
  auto results = commit_all(acquires);
  for (auto& err : results) {
    CAF_CHECK_EQUAL(err, caf::none);
  }
  auto after = stats();
  CAF_CHECK_EQUAL(after.records - before.records, 400u);
  CAF_CHECK_LESS(after.batches - before.batches, 200u); // on average 2+ records per commit
  // Every commit is timed: the histogram's widest bucket (5 s) holds them all.
  CAF_REQUIRE_EQUAL(after.commits_within.size(), record_store_stats::commit_bounds.size());
  CAF_CHECK_EQUAL(after.commits_within.back() - before.commits_within.back(),
                  after.batches - before.batches);
  CAF_CHECK_LESS_OR_EQUAL(after.commits_within.front(), after.commits_within.back());
  CAF_CHECK_GREATER(after.commit_seconds, before.commit_seconds);
  CAF_MESSAGE("400 acquires in " << (after.batches - before.batches) << " transactions");
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM sessions"), "400");
  CAF_CHECK_EQUAL(after.shards, 2u);
  CAF_CHECK_EQUAL(after.connected, 2u);
}

CAF_TEST(records of one tenant commit in the order they were sent) {
  std::vector<record> recs;
  for (uint32_t seats = 1; seats <= 30; ++seats) {
    auto rec = license_record(tenant, license, record_kind::license_update, seats);
    rec.detail = {{"seats", std::to_string(seats)}};
    recs.push_back(rec);
  }
  // An acquire and the release of the same session: the other way round, it would stay live.
  auto sid = new_uuid();
  recs.push_back(acquire_record(tenant, license, sid));
  recs.push_back(end_record(tenant, sid, record_kind::release));
  for (auto& err : commit_all(recs)) {
    CAF_CHECK_EQUAL(err, caf::none);
  }
  CAF_CHECK_EQUAL(db.scalar("SELECT seats_total FROM licenses WHERE id = '" + license + "'"), "30");
  std::string expected;
  for (int seats = 1; seats <= 30; ++seats) {
    expected += (seats > 1 ? "," : "") + std::to_string(seats);
  }
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(detail->>'seats', ',' ORDER BY id) FROM "
                            "audit_log WHERE action = 'license_update'"),
                  expected);
  CAF_CHECK_EQUAL(db.scalar("SELECT end_reason FROM sessions WHERE id = '" + sid + "'"), "release");
}

CAF_TEST(a batch of session records keeps their order in the audit log) {
  // One seat changes hands inside one batch: the audit log must show the release first.
  auto a = new_uuid();
  auto b = new_uuid();
  auto renew_b = acquire_record(tenant, license, b);
  renew_b.kind = record_kind::renew;
  renew_b.session->expires_at = at_seconds(90);
  auto deny = end_record(tenant, "", record_kind::deny);
  deny.license_id = license;
  auto results =
    commit_all({acquire_record(tenant, license, a), end_record(tenant, a, record_kind::release),
                acquire_record(tenant, license, b), renew_b, deny,
                end_record(tenant, b, record_kind::revoke)});
  for (auto& err : results) {
    CAF_CHECK_EQUAL(err, caf::none);
  }
  CAF_CHECK_EQUAL(db.scalar("SELECT string_agg(action || coalesce(detail->>'renewed', ''), ',' "
                            "ORDER BY id) FROM audit_log WHERE license_id = '" +
                            license + "' AND action <> 'provision'"),
                  "acquire,release,acquire,acquiretrue,deny,revoke");
  CAF_CHECK_EQUAL(
    db.scalar("SELECT end_reason || ' ' || expires_at FROM sessions WHERE id = '" + b + "'"),
    "revoke 2026-11-18 11:08:10+00");
}

CAF_TEST(client text with array and JSON syntax is stored as given) {
  auto sid = new_uuid();
  auto rec = acquire_record(tenant, license, sid);
  rec.session->hostname = R"(ws "17", {a\b} NULL)";
  rec.session->os = "Linux — ünïcode";
  rec.detail = {{"note", R"(quote " backslash \ brace })"}};
  CAF_REQUIRE_EQUAL(commit(rec), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT hostname FROM sessions WHERE id = '" + sid + "'"),
                  rec.session->hostname);
  CAF_CHECK_EQUAL(db.scalar("SELECT os FROM sessions WHERE id = '" + sid + "'"), rec.session->os);
  CAF_CHECK_EQUAL(
    db.scalar("SELECT detail->>'note' FROM audit_log WHERE session_id = '" + sid + "'"),
    rec.detail["note"]);
}

CAF_TEST(load returns the licenses and exactly the live sessions) {
  auto s1 = new_uuid();
  auto s2 = new_uuid();
  auto s3 = new_uuid();
  auto a2 = acquire_record(tenant, license, s2);
  for (auto& err :
       commit_all({acquire_record(tenant, license, s1), a2, acquire_record(tenant, license, s3),
                   end_record(tenant, s1, record_kind::release),
                   end_record(tenant, s3, record_kind::revoke)})) {
    CAF_CHECK_EQUAL(err, caf::none);
  }
  auto snapshot = load(tenant);
  CAF_REQUIRE(snapshot);
  CAF_CHECK_EQUAL(snapshot->tenant_id, tenant);
  CAF_CHECK_EQUAL(snapshot->epoch, 0u);
  CAF_REQUIRE_EQUAL(snapshot->licenses.size(), 1u);
  auto expected_terms = *license_record(tenant, license, record_kind::license_create, 5).license;
  CAF_CHECK_EQUAL(snapshot->licenses.front(), expected_terms);
  CAF_REQUIRE_EQUAL(snapshot->sessions.size(), 1u);
  CAF_CHECK_EQUAL(snapshot->sessions.front(), *a2.session);
}

CAF_TEST(load sees the ownership epoch and refuses unknown tenants) {
  auto conn = db.connect();
  CAF_REQUIRE(conn.exec("INSERT INTO tenant_owner (tenant_id, node_id, epoch) VALUES ($1, "
                        "'node-a', 7)",
                        tenant));
  auto snapshot = load(tenant);
  CAF_REQUIRE(snapshot);
  CAF_CHECK_EQUAL(snapshot->epoch, 7u);
  auto unknown = load(new_uuid());
  CAF_REQUIRE(!unknown);
  CAF_CHECK(is_errc(unknown.error(), errc::not_found));
  auto garbage = load("not-a-uuid");
  CAF_REQUIRE(!garbage);
  CAF_CHECK(is_errc(garbage.error(), errc::not_found));
}

CAF_TEST(a renew moves the expiry and a renew of an ended session is refused) {
  auto sid = new_uuid();
  auto acquire = acquire_record(tenant, license, sid);
  CAF_REQUIRE_EQUAL(commit(acquire), caf::none);
  auto renew = acquire;
  renew.kind = record_kind::renew;
  renew.session->expires_at = at_seconds(500);
  CAF_REQUIRE_EQUAL(commit(renew), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT expires_at = '" + to_pg_timestamp(at_seconds(500)) +
                            "' FROM sessions WHERE id = '" + sid + "'"),
                  "t");
  CAF_CHECK_EQUAL(db.scalar("SELECT detail->>'renewed' FROM audit_log WHERE session_id = '" + sid +
                            "' ORDER BY id DESC LIMIT 1"),
                  "true");
  CAF_REQUIRE_EQUAL(commit(end_record(tenant, sid, record_kind::release)), caf::none);
  CAF_CHECK(is_errc(commit(renew), errc::session_not_found));
}

CAF_TEST(updating a license that does not exist is not found and writes nothing) {
  auto other = new_uuid();
  auto err = commit(license_record(tenant, other, record_kind::license_update, 3));
  CAF_CHECK(is_errc(err, errc::not_found));
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM audit_log WHERE license_id = '" + other + "'"),
                  "0");
}

CAF_TEST(a bad record fails alone while the rest of its batch commits) {
  std::vector<record> recs;
  std::vector<std::string> good;
  for (int i = 0; i < 6; ++i) {
    good.push_back(new_uuid());
    recs.push_back(acquire_record(tenant, license, good.back()));
  }
  // A session of a license that does not exist is refused.
  recs.insert(recs.begin() + 3, acquire_record(tenant, new_uuid(), new_uuid()));
  auto results = commit_all(recs);
  for (size_t i = 0; i < results.size(); ++i) {
    if (i == 3) {
      CAF_CHECK(is_errc(results[i], errc::internal));
    } else {
      CAF_CHECK_EQUAL(results[i], caf::none);
    }
  }
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM sessions"), "6");
}

CAF_TEST(a session on a license of another tenant is refused and writes nothing) {
  auto other_tenant = new_uuid();
  auto other_license = new_uuid();
  add_tenant(other_tenant);
  CAF_REQUIRE_EQUAL(
    commit(license_record(other_tenant, other_license, record_kind::license_create, 5)), caf::none);
  auto sid = new_uuid();
  auto err = commit(acquire_record(tenant, other_license, sid));
  CAF_CHECK(is_errc(err, errc::internal));
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM sessions WHERE id = '" + sid + "'"), "0");
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM audit_log WHERE session_id = '" + sid + "'"),
                  "0");
}

CAF_TEST(heartbeat notes are written lazily and the last one wins) {
  auto sid = new_uuid();
  auto acquire = acquire_record(tenant, license, sid);
  CAF_REQUIRE_EQUAL(commit(acquire), caf::none);
  for (int64_t t = 100; t <= 300; t += 100) {
    record note;
    note.kind = record_kind::heartbeat;
    note.tenant_id = tenant;
    note.session = *acquire.session;
    note.session->last_heartbeat_at = at_seconds(t);
    note.session->expires_at = at_seconds(t + 60);
    caf::anon_send(store, note_atom_v, std::vector<record>{note});
  }
  record deny;
  deny.kind = record_kind::deny;
  deny.tenant_id = tenant;
  deny.license_id = license;
  deny.at = at_seconds(50);
  deny.detail = {{"reason", "no_seats_available"}};
  caf::anon_send(store, note_atom_v, std::vector<record>{deny});
  CAF_CHECK(db.eventually("SELECT last_heartbeat_at = '" + to_pg_timestamp(at_seconds(300)) +
                            "' FROM sessions WHERE id = '" + sid + "'",
                          "t"));
  CAF_CHECK(db.eventually("SELECT detail->>'reason' FROM audit_log WHERE action = 'deny'",
                          "no_seats_available"));
}

CAF_TEST(session ends survive a database outage and acquires fail fast during it) {
  auto sid = new_uuid();
  CAF_REQUIRE_EQUAL(commit(acquire_record(tenant, license, sid)), caf::none);
  cut_database();
  auto refused = commit(acquire_record(tenant, license, new_uuid()));
  CAF_CHECK(is_errc(refused, errc::unavailable));
  CAF_CHECK(is_errc(commit(license_record(tenant, license, record_kind::license_update, 9)),
                    errc::unavailable));
  CAF_CHECK_EQUAL(commit(end_record(tenant, sid, record_kind::release)), caf::none);
  auto during = load(tenant);
  CAF_REQUIRE(!during);
  CAF_CHECK(is_errc(during.error(), errc::unavailable));
  CAF_CHECK_GREATER_OR_EQUAL(stats().kept, 1u);
  restore_database();
  CAF_CHECK(db.eventually("SELECT end_reason FROM sessions WHERE id = '" + sid + "'", "release"));
  auto next = new_uuid();
  CAF_CHECK_EQUAL(commit(acquire_record(tenant, license, next)), caf::none);
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM sessions WHERE ended_at IS NULL"), "1");
  auto after = stats();
  CAF_CHECK_EQUAL(after.kept, 0u);
  CAF_CHECK_GREATER_OR_EQUAL(after.reconnects, 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
