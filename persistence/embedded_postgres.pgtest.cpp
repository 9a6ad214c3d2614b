#define CAF_SUITE persistence.embedded_postgres

#include "persistence/embedded_postgres.hpp"

#include "persistence/pg.hpp"

#include <caf/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using namespace leasehold::persistence;
namespace fs = std::filesystem;

namespace {

// A temporary data directory that the postgres user can enter (as root) and that goes away.
struct temp_dir {
  std::string path;
  explicit temp_dir(mode_t mode = 0755) {
    if (std::getenv("LEASEHOLD_TEST_DSN") == nullptr) {
      std::exit(77); // like every pgtest: no test PostgreSQL configured, skip
    }
    char pattern[] = "/tmp/lh-embedded-XXXXXX";
    auto* made = ::mkdtemp(pattern);
    CAF_REQUIRE(made != nullptr);
    path = made;
    ::chmod(path.c_str(), mode);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string query(const std::string& dsn, const std::string& sql) {
  auto conn = pg_connection::connect(dsn);
  CAF_REQUIRE(conn);
  auto res = conn->exec(sql);
  CAF_REQUIRE(res);
  return res->text(0, 0);
}

bool process_exists(pid_t pid) {
  return pid > 0 && ::kill(pid, 0) == 0 && fs::exists("/proc/" + std::to_string(pid) + "/comm");
}

} // namespace

CAF_TEST(a fresh data directory gets a running server with the database leasehold) {
  temp_dir dir;
  pid_t pid = 0;
  std::string dsn;
  {
    auto pg = embedded_postgres::start(dir.path + "/data");
    CAF_REQUIRE(pg);
    dsn = (*pg)->dsn();
    pid = (*pg)->pid();
    CAF_CHECK_EQUAL((*pg)->cluster_dir(), dir.path + "/data/postgres");
    CAF_CHECK_EQUAL(query(dsn, "SELECT current_database()"), "leasehold");
    // Unix socket only: no TCP listener.
    CAF_CHECK_EQUAL(query(dsn, "SHOW listen_addresses"), "");
    CAF_CHECK(process_exists(pid));
  }
  CAF_CHECK(!pg_connection::connect(dsn + " connect_timeout=2"));
}

CAF_TEST(a second start reuses the cluster and keeps its data) {
  temp_dir dir;
  {
    auto pg = embedded_postgres::start(dir.path);
    CAF_REQUIRE(pg);
    auto conn = pg_connection::connect((*pg)->dsn());
    CAF_REQUIRE(conn);
    CAF_REQUIRE_EQUAL(conn->exec_script("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)"),
                      caf::none);
  }
  auto pg = embedded_postgres::start(dir.path);
  CAF_REQUIRE(pg);
  CAF_CHECK_EQUAL(query((*pg)->dsn(), "SELECT x FROM kept"), "42");
}

CAF_TEST(a stale postmaster pid file does not block start up) {
  temp_dir dir;
  std::string pid_file;
  {
    auto pg = embedded_postgres::start(dir.path);
    CAF_REQUIRE(pg);
    pid_file = (*pg)->cluster_dir() + "/data/postmaster.pid";
  }
  // What a killed server leaves behind, with a pid that now belongs to another live process.
  {
    std::ofstream out{pid_file};
    out << 1 << '\n' << dir.path << "\n";
  }
  auto pg = embedded_postgres::start(dir.path);
  CAF_REQUIRE(pg);
  CAF_CHECK_EQUAL(query((*pg)->dsn(), "SELECT 1"), "1");
}

CAF_TEST(a server killed with its owner is restarted on the next start) {
  temp_dir dir;
  auto first = embedded_postgres::start(dir.path);
  CAF_REQUIRE(first);
  auto pid = (*first)->pid();
  CAF_REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && pg_connection::connect((*first)->dsn() + " connect_timeout=1"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  auto second = embedded_postgres::start(dir.path);
  CAF_REQUIRE(second);
  CAF_CHECK_NOT_EQUAL((*second)->pid(), pid);
  CAF_CHECK_EQUAL(query((*second)->dsn(), "SELECT 1"), "1");
  first->reset(); // stops the server the second start brought up: harmless, it is the same
}

CAF_TEST(a server left running by a killed process is adopted) {
  temp_dir dir;
  auto first = embedded_postgres::start(dir.path);
  CAF_REQUIRE(first);
  auto pid = (*first)->pid();
  // The owner dies without stopping its server; the next run finds it running.
  auto second = embedded_postgres::start(dir.path);
  CAF_REQUIRE(second);
  CAF_CHECK_EQUAL((*second)->pid(), pid);
  CAF_CHECK_EQUAL(query((*second)->dsn(), "SELECT 1"), "1");
}

CAF_TEST(a data directory too deep for a socket path gets its socket under tmp) {
  temp_dir dir;
  auto deep = dir.path + "/" + std::string(60, 'd') + "/" + std::string(60, 'e');
  auto pg = embedded_postgres::start(deep);
  CAF_REQUIRE(pg);
  CAF_CHECK_EQUAL((*pg)->cluster_dir(), deep + "/postgres");
  CAF_CHECK_EQUAL((*pg)->socket_dir().rfind("/tmp/leasehold-pg-", 0), 0u);
  CAF_CHECK_LESS((*pg)->socket_dir().size() + sizeof("/.s.PGSQL.54320"), 108u);
  CAF_CHECK_EQUAL(query((*pg)->dsn(), "SELECT 1"), "1");
  auto socket_dir = (*pg)->socket_dir();
  pg->reset();
  std::error_code ec;
  fs::remove_all(socket_dir, ec);
}

CAF_TEST(as root a data directory the postgres user cannot enter moves the cluster) {
  if (::geteuid() != 0) {
    CAF_MESSAGE("not root: nothing to move");
    return;
  }
  temp_dir dir{0700};
  auto pg = embedded_postgres::start(dir.path + "/data");
  CAF_REQUIRE(pg);
  auto cluster = (*pg)->cluster_dir();
  CAF_CHECK_EQUAL(cluster.rfind("/var/lib/leasehold/data-", 0), 0u);
  CAF_CHECK_EQUAL(query((*pg)->dsn(), "SELECT current_user"), "postgres");
  pg->reset();
  std::error_code ec;
  fs::remove_all(cluster, ec);
}
