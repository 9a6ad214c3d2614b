#define CAF_SUITE persistence.accounts

#include "persistence/accounts.hpp"

#include "actors/errc.hpp"
#include "actors/type_ids.hpp"
#include "persistence/account_queries.hpp"
#include "persistence/demo_seed.hpp"
#include "persistence/signing_keys.hpp"
#include "persistence/test_database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/test/unit_test.hpp>

#include <ctime>
#include <string>

using namespace leasehold;
using namespace leasehold::persistence;

namespace {

struct accounts_config : caf::actor_system_config {
  accounts_config() {
    add_domain_types(*this);
    add_account_types(*this);
  }
};

registration make_registration(const std::string& n, const std::string& email) {
  registration reg;
  reg.tenant_id = "00000000-0000-4000-8000-0000000000" + n + "1";
  reg.user_id = "00000000-0000-4000-8000-0000000000" + n + "2";
  reg.license_id = "00000000-0000-4000-8000-0000000000" + n + "3";
  reg.email = email;
  reg.name = "Ada " + n;
  reg.organization = "Acme Inc";
  reg.slug_base = "acme-inc";
  reg.password_hash = "scrypt$hash-" + n;
  reg.license_key = "LH-AAAAA-BBBBB-CCCCC-DDD" + n;
  return reg;
}

struct fixture {
  test_database db;
  accounts_config cfg;
  caf::actor_system sys{cfg};
  accounts_actor accounts = spawn_accounts(sys, db.dsn());

  ~fixture() { caf::anon_send_exit(accounts, caf::exit_reason::user_shutdown); }

  template <class T, class... Ts> caf::expected<T> ask(Ts... xs) {
    caf::expected<T> result{caf::error{}};
    caf::scoped_actor self{sys};
    self->request(accounts, caf::infinite, std::move(xs)...)
      .receive([&](T& value) { result = std::move(value); },
               [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(accounts_tests, fixture)

CAF_TEST(registering creates the tenant its owner and a free one seat license together) {
  auto reg = make_registration("0", "ada@example.com");
  auto acct = ask<account>(register_atom_v, reg);
  CAF_REQUIRE(acct);
  CAF_CHECK_EQUAL(acct->user.id, reg.user_id);
  CAF_CHECK_EQUAL(acct->user.user_role, role::owner);
  CAF_CHECK_EQUAL(acct->tenant.id, reg.tenant_id);
  CAF_CHECK_EQUAL(acct->tenant.slug, "acme-inc");
  CAF_CHECK_EQUAL(acct->tenant.name, "Acme Inc");
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM tenants"), "1");
  CAF_CHECK_EQUAL(db.scalar("SELECT role FROM users WHERE email = 'ada@example.com'"), "owner");
  CAF_CHECK_EQUAL(db.scalar("SELECT tier || '/' || product || '/' || seats_total || '/' || "
                            "status || '/' || heartbeat_interval || '/' || session_ttl "
                            "FROM licenses WHERE tenant_id = '" +
                            reg.tenant_id + "'"),
                  "free/default/1/active/300/360");
  CAF_CHECK_EQUAL(db.scalar("SELECT key FROM licenses"), reg.license_key);
  auto login = ask<login_record>(find_login_atom_v, std::string{"ada@example.com"});
  CAF_REQUIRE(login);
  CAF_CHECK_EQUAL(login->password_hash, "scrypt$hash-0");
  CAF_CHECK_EQUAL(login->user.tenant_id, reg.tenant_id);
  auto me = ask<account>(find_account_atom_v, reg.tenant_id, reg.user_id);
  CAF_REQUIRE(me);
  CAF_CHECK_EQUAL(me->user.email, "ada@example.com");
  CAF_CHECK_EQUAL(me->tenant.slug, "acme-inc");
}

CAF_TEST(a duplicate email is a conflict and leaves no tenant behind) {
  CAF_REQUIRE(ask<account>(register_atom_v, make_registration("0", "ada@example.com")));
  auto again = ask<account>(register_atom_v, make_registration("1", "ada@example.com"));
  CAF_REQUIRE(!again);
  CAF_CHECK(is_errc(again.error(), errc::conflict));
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM tenants"), "1");
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM licenses"), "1");
}

CAF_TEST(organizations with the same name get distinct slugs) {
  CAF_REQUIRE(ask<account>(register_atom_v, make_registration("0", "a@example.com")));
  auto second = ask<account>(register_atom_v, make_registration("1", "b@example.com"));
  CAF_REQUIRE(second);
  CAF_CHECK_EQUAL(second->tenant.slug, "acme-inc-2");
}

CAF_TEST(a second user with an existing email is a conflict) {
  auto reg = make_registration("0", "ada@example.com");
  CAF_REQUIRE(ask<account>(register_atom_v, reg));
  new_user bob{
    {"00000000-0000-4000-8000-0000000000b1", reg.tenant_id, "bob@example.com", "Bob", role::member},
    "scrypt$bob"};
  CAF_REQUIRE(ask<user_info>(add_user_atom_v, bob));
  bob.user.id = "00000000-0000-4000-8000-0000000000b2";
  auto dup = ask<user_info>(add_user_atom_v, bob);
  CAF_REQUIRE(!dup);
  CAF_CHECK(is_errc(dup.error(), errc::conflict));
  auto users = ask<std::vector<user_info>>(list_users_atom_v, reg.tenant_id);
  CAF_REQUIRE(users);
  CAF_REQUIRE_EQUAL(users->size(), 2u);
  CAF_CHECK_EQUAL((*users)[1].email, "bob@example.com");
  CAF_CHECK_EQUAL((*users)[1].user_role, role::member);
}

CAF_TEST(an existing tenant slug is a conflict) {
  tenant_info tenant{"00000000-0000-4000-8000-0000000000c1", "Globex", "globex", "active"};
  auto created = ask<tenant_info>(add_tenant_atom_v, tenant);
  CAF_REQUIRE(created);
  CAF_CHECK_EQUAL(created->slug, "globex");
  tenant.id = "00000000-0000-4000-8000-0000000000c2";
  auto dup = ask<tenant_info>(add_tenant_atom_v, tenant);
  CAF_REQUIRE(!dup);
  CAF_CHECK(is_errc(dup.error(), errc::conflict));
  auto found =
    ask<tenant_info>(find_tenant_atom_v, std::string{"00000000-0000-4000-8000-0000000000c1"});
  CAF_REQUIRE(found);
  CAF_CHECK_EQUAL(found->name, "Globex");
  auto missing = ask<tenant_info>(find_tenant_atom_v, std::string{"not-a-uuid"});
  CAF_REQUIRE(!missing);
  CAF_CHECK(is_errc(missing.error(), errc::not_found));
}

CAF_TEST(a license id leads to its tenant and unknown ids are not found) {
  auto reg = make_registration("0", "ada@example.com");
  CAF_REQUIRE(ask<account>(register_atom_v, reg));
  auto owner = ask<std::string>(license_owner_atom_v, reg.license_id);
  CAF_REQUIRE(owner);
  CAF_CHECK_EQUAL(*owner, reg.tenant_id);
  auto unknown =
    ask<std::string>(license_owner_atom_v, std::string{"00000000-0000-4000-8000-000000000999"});
  CAF_REQUIRE(!unknown);
  CAF_CHECK(is_errc(unknown.error(), errc::not_found));
  auto malformed = ask<std::string>(license_owner_atom_v, std::string{"x'; DROP TABLE users"});
  CAF_REQUIRE(!malformed);
  CAF_CHECK(is_errc(malformed.error(), errc::not_found));
}

CAF_TEST(revoked tokens are listed until they expire) {
  auto tenant = std::string{"00000000-0000-4000-8000-0000000000d1"};
  auto now = static_cast<int64_t>(std::time(nullptr));
  CAF_REQUIRE(ask<caf::ok_atom>(revoke_token_atom_v, revoked_token{tenant, "live", now + 3600}));
  CAF_REQUIRE(ask<caf::ok_atom>(revoke_token_atom_v, revoked_token{tenant, "live", now + 3600}));
  CAF_REQUIRE(ask<caf::ok_atom>(revoke_token_atom_v, revoked_token{tenant, "old", now - 10}));
  auto live = ask<std::vector<revoked_token>>(revoked_tokens_atom_v);
  CAF_REQUIRE(live);
  CAF_REQUIRE_EQUAL(live->size(), 1u);
  CAF_CHECK_EQUAL(live->front().jti, "live");
  CAF_CHECK_EQUAL(live->front().tenant_id, tenant);
  CAF_CHECK_EQUAL(live->front().expires_at, now + 3600);
}

CAF_TEST(an unreachable database answers unavailable) {
  auto broken =
    spawn_accounts(sys, "host=/nonexistent-socket-dir port=1 dbname=x connect_timeout=1");
  caf::expected<tenant_info> result{caf::error{}};
  {
    caf::scoped_actor self{sys};
    self->request(broken, caf::infinite, find_tenant_atom_v, std::string{"x"})
      .receive([&](tenant_info& x) { result = std::move(x); },
               [&](caf::error& err) { result = std::move(err); });
  }
  caf::anon_send_exit(broken, caf::exit_reason::user_shutdown);
  CAF_REQUIRE(!result);
  CAF_CHECK(is_errc(result.error(), errc::unavailable));
}

CAF_TEST(the demo seed is idempotent and keeps the first license key) {
  auto conn = db.connect();
  auto first = seed_demo(conn, "scrypt$demo", "LH-AAAAA-AAAAA-AAAAA-AAAAA");
  CAF_REQUIRE(first);
  CAF_CHECK_EQUAL(first->email, "demo@leasehold.dev");
  CAF_CHECK_EQUAL(first->password, demo_password);
  auto second = seed_demo(conn, "scrypt$other", "LH-BBBBB-BBBBB-BBBBB-BBBBB");
  CAF_REQUIRE(second);
  CAF_CHECK_EQUAL(second->license_key, "LH-AAAAA-AAAAA-AAAAA-AAAAA");
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM tenants"), "1");
  CAF_CHECK_EQUAL(db.scalar("SELECT password_hash FROM users"), "scrypt$demo");
  CAF_CHECK_EQUAL(db.scalar("SELECT tier || '/' || seats_total FROM licenses"), "pro/5");
  auto login = ask<login_record>(find_login_atom_v, std::string{demo_email});
  CAF_REQUIRE(login);
  CAF_CHECK_EQUAL(login->user.user_role, role::owner);
}

CAF_TEST(the demo seed refuses when its email belongs to another tenant) {
  CAF_REQUIRE(ask<account>(register_atom_v, make_registration("0", demo_email)));
  auto conn = db.connect();
  auto seeded = seed_demo(conn, "scrypt$demo", "LH-AAAAA-AAAAA-AAAAA-AAAAA");
  CAF_REQUIRE(!seeded);
  CAF_CHECK(is_errc(seeded.error(), errc::conflict));
  CAF_CHECK_EQUAL(db.scalar("SELECT count(*) FROM tenants"), "1");
}

CAF_TEST(stored signing keys load newest first and retired keys are left out) {
  auto conn = db.connect();
  CAF_REQUIRE_EQUAL(store_signing_key(conn, {"k1", "pem-1"}), caf::none);
  CAF_REQUIRE_EQUAL(store_signing_key(conn, {"k1", "pem-other"}), caf::none);
  CAF_REQUIRE(conn.exec("UPDATE signing_keys SET created_at = now() - interval '1 day'"));
  CAF_REQUIRE_EQUAL(store_signing_key(conn, {"k2", "pem-2"}), caf::none);
  CAF_REQUIRE_EQUAL(store_signing_key(conn, {"k0", "pem-0"}), caf::none);
  CAF_REQUIRE(conn.exec("UPDATE signing_keys SET retired_at = now() WHERE kid = 'k0'"));
  auto keys = load_signing_keys(conn);
  CAF_REQUIRE(keys);
  CAF_REQUIRE_EQUAL(keys->size(), 2u);
  CAF_CHECK_EQUAL((*keys)[0].kid, "k2");
  CAF_CHECK_EQUAL((*keys)[1].kid, "k1");
  CAF_CHECK_EQUAL((*keys)[1].private_pem, "pem-1");
}

CAF_TEST_FIXTURE_SCOPE_END()
