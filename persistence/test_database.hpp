#pragma once

#include "actors/type_ids.hpp"
#include "persistence/migrations.hpp"
#include "persistence/persistence_types.hpp"
#include "persistence/pg.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

namespace leasehold::persistence {

/// The configuration of a pgtest's actor system: the domain's and persistence's message types.
struct pg_test_config : caf::actor_system_config {
  pg_test_config() {
    add_domain_types(*this);
    add_persistence_types(*this);
  }
};

/// For pgtests: a fresh database `lh_test_<random>` on the server of `LEASEHOLD_TEST_DSN`,
/// migrated, dropped again at the end. Exits with 77 (CTest: skipped) when the variable is
/// unset, so that the suite is skipped rather than failed.
class test_database {
public:
  /// Creates the database; `migrate = false` leaves it empty (for migration tests).
  explicit test_database(bool migrate = true) {
    auto* server = std::getenv("LEASEHOLD_TEST_DSN");
    if (server == nullptr || *server == '\0') {
      CAF_MESSAGE("LEASEHOLD_TEST_DSN is not set: skipping");
      std::exit(77);
    }
    server_dsn_ = server;
    std::random_device rd;
    name_ = "lh_test_" + std::to_string(rd()) + std::to_string(rd());
    auto admin = pg_connection::connect(server_dsn_);
    CAF_REQUIRE(admin);
    auto created = admin->exec("CREATE DATABASE " + quote_identifier(name_));
    CAF_REQUIRE(created);
    auto dsn = dsn_with_database(server_dsn_, name_);
    CAF_REQUIRE(dsn);
    dsn_ = *dsn;
    if (migrate) {
      auto conn = connect();
      CAF_REQUIRE_EQUAL(apply_migrations(conn), caf::none);
    }
  }

  ~test_database() {
    auto admin = pg_connection::connect(server_dsn_);
    if (admin) {
      // WITH (FORCE) ends sessions a test left behind (e.g. detached actors still closing).
      admin->exec("DROP DATABASE IF EXISTS " + quote_identifier(name_) + " WITH (FORCE)");
    }
  }

  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  /// A DSN of the test database.
  const std::string& dsn() const { return dsn_; }

  const std::string& name() const { return name_; }

  /// A DSN of the server's default database (for CREATE/DROP DATABASE, pg_terminate_backend).
  const std::string& server_dsn() const { return server_dsn_; }

  /// A new connection to the test database; fails the test if there is none.
  pg_connection connect() const {
    auto conn = pg_connection::connect(dsn_);
    CAF_REQUIRE(conn);
    return std::move(*conn);
  }

  /// The first column of the first row of `sql` as text ("" if there is no row).
  std::string scalar(const std::string& sql) const {
    auto conn = connect();
    auto res = conn.exec(sql);
    CAF_REQUIRE(res);
    return res->rows() > 0 ? res->text(0, 0) : std::string{};
  }

  /// Polls `sql` every 50 ms until it yields `expected` (writes that happen in the background);
  /// false if it still does not after `attempts` polls (10 s by default).
  bool eventually(const std::string& sql, const std::string& expected, int attempts = 200) const {
    for (int i = 0; i < attempts; ++i) {
      if (scalar(sql) == expected) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    return false;
  }

private:
  std::string server_dsn_;
  std::string name_;
  std::string dsn_;
};

} // namespace leasehold::persistence
