#include "persistence/embedded_postgres.hpp"

#include "actors/errc.hpp"
#include "persistence/pg.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace leasehold::persistence {

namespace {

// Names the socket file only: the server has no TCP listener.
constexpr int socket_port = 54320;

// sun_path holds 108 bytes including the terminating NUL.
constexpr size_t max_socket_path = 107;

constexpr const char* server_user = "postgres";

constexpr const char* fallback_root = "/var/lib/leasehold";

struct unix_user {
  uid_t uid = 0;
  gid_t gid = 0;
};

caf::error fail(const std::string& what) {
  return make_error(errc::internal, "embedded PostgreSQL: " + what);
}

void log_line(const std::string& line) { std::clog << "leasehold: " << line << std::endl; }

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (auto c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string hex(uint64_t x, int digits) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(x));
  return std::string{buf + 16 - digits};
}

// The newest installed server binaries: $LEASEHOLD_PG_BIN, Debian's /usr/lib/postgresql/N/bin.
caf::expected<std::string> find_bin_dir() {
  if (auto* env = std::getenv("LEASEHOLD_PG_BIN"); env != nullptr && *env != '\0') {
    return std::string{env};
  }
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator{"/usr/lib/postgresql", ec}) {
    auto name = entry.path().filename().string();
    auto version = std::atoi(name.c_str());
    auto bin = entry.path() / "bin";
    if (version > best_version && fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) {
      best_version = version;
      best = bin.string();
    }
  }
  if (best.empty()) {
    return fail("no server binaries under /usr/lib/postgresql (install postgresql, or set "
                "LEASEHOLD_PG_BIN)");
  }
  return best;
}

// Runs `argv` (as `user` if given), output appended to `log_file`; true on exit code 0.
bool run(const std::vector<std::string>& argv, const caf::optional<unix_user>& user,
         const std::string& log_file) {
  // Everything the child touches is prepared before fork: after it only async-signal-safe
  // calls are allowed in a multi-threaded process.
  std::vector<char*> args;
  for (auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  auto fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return false;
  }
  if (user) {
    // The log must stay writable for the server user (pg_ctl hands it on to postgres).
    if (::fchown(fd, user->uid, user->gid) != 0) {
      ::close(fd);
      return false;
    }
  }
  auto pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return false;
  }
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    auto devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      ::dup2(devnull, STDIN_FILENO);
    }
    if (user) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(user->gid) != 0 || ::setuid(user->uid) != 0) {
        ::_exit(126);
      }
    }
    if (::chdir("/") != 0) {
      ::_exit(126);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return false;
    }
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string tail_of(const std::string& file, size_t max_lines) {
  std::ifstream in{file};
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > max_lines) {
      lines.erase(lines.begin());
    }
  }
  std::string result;
  for (auto& line : lines) {
    result += line + '\n';
  }
  return result;
}

// True if `user` may enter `dir` and every directory above it.
bool can_traverse(const unix_user& user, const fs::path& dir) {
  fs::path prefix;
  for (auto& part : dir) {
    prefix /= part;
    struct stat st {};
    if (::stat(prefix.c_str(), &st) != 0) {
      return false;
    }
    mode_t bit = S_IXOTH;
    if (st.st_uid == user.uid) {
      bit = S_IXUSR;
    } else if (st.st_gid == user.gid) {
      bit = S_IXGRP;
    }
    if ((st.st_mode & bit) == 0) {
      return false;
    }
  }
  return true;
}

caf::error make_owned_dir(const fs::path& dir, const caf::optional<unix_user>& owner) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return fail("cannot create " + dir.string() + ": " + ec.message());
  }
  if (owner && ::chown(dir.c_str(), owner->uid, owner->gid) != 0) {
    return fail("cannot hand " + dir.string() + " to user postgres: " + std::strerror(errno));
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return fail("cannot restrict " + dir.string() + ": " + std::strerror(errno));
  }
  return caf::none;
}

// The pid in the first line of postmaster.pid, 0 if none.
pid_t pid_from_file(const fs::path& pid_file) {
  std::ifstream in{pid_file};
  long pid = 0;
  in >> pid;
  return in ? static_cast<pid_t>(pid) : 0;
}

// True if `pid` is a live PostgreSQL server of `pgdata` (not a reused pid of something else).
bool is_our_server(pid_t pid, const std::string& pgdata) {
  if (pid <= 0) {
    return false;
  }
  std::ifstream comm{"/proc/" + std::to_string(pid) + "/comm"};
  std::string name;
  std::getline(comm, name);
  // A zombie (killed, not yet reaped) still has its name: look at its state too.
  std::ifstream stat_file{"/proc/" + std::to_string(pid) + "/stat"};
  std::string stat_line;
  std::getline(stat_file, stat_line);
  auto close_paren = stat_line.rfind(')');
  auto state = close_paren != std::string::npos && close_paren + 2 < stat_line.size()
                 ? stat_line[close_paren + 2]
                 : 'X';
  if ((name != "postgres" && name != "postmaster") || state == 'Z' || state == 'X') {
    return false;
  }
  std::ifstream cmdline_file{"/proc/" + std::to_string(pid) + "/cmdline"};
  std::string cmdline{std::istreambuf_iterator<char>{cmdline_file},
                      std::istreambuf_iterator<char>{}};
  return cmdline.find(pgdata) != std::string::npos;
}

bool accepts_connections(const std::string& dsn) {
  return static_cast<bool>(pg_connection::connect(dsn + " connect_timeout=2"));
}

caf::error create_database(const std::string& admin_dsn) {
  auto conn = pg_connection::connect(admin_dsn);
  if (!conn) {
    return std::move(conn.error());
  }
  auto found = conn->exec("SELECT 1 FROM pg_database WHERE datname = $1", "leasehold");
  if (!found) {
    return std::move(found.error());
  }
  if (found->rows() == 0) {
    auto created = conn->exec("CREATE DATABASE leasehold");
    if (!created) {
      return std::move(created.error());
    }
  }
  return caf::none;
}

} // namespace

caf::expected<std::unique_ptr<embedded_postgres>>
embedded_postgres::start(const std::string& data_dir) {
  std::unique_ptr<embedded_postgres> self{new embedded_postgres};
  auto bin = find_bin_dir();
  if (!bin) {
    return std::move(bin.error());
  }
  self->bin_dir_ = *bin;
  // PostgreSQL refuses to run as root: as root, the server runs as `postgres`.
  caf::optional<unix_user> user;
  if (::geteuid() == 0) {
    auto* pw = ::getpwnam(server_user);
    if (pw == nullptr) {
      return fail("running as root needs the system user postgres (install postgresql)");
    }
    user = unix_user{pw->pw_uid, pw->pw_gid};
    self->as_postgres_user_ = true;
  }
  std::error_code ec;
  auto data = fs::absolute(data_dir, ec).lexically_normal();
  fs::create_directories(data, ec);
  if (ec) {
    return fail("cannot create the data directory " + data.string() + ": " + ec.message());
  }
  auto cluster = data / "postgres";
  if (user && !can_traverse(*user, data)) {
    auto name = data.filename().string();
    if (name.empty()) {
      name = "data";
    }
    cluster = fs::path{fallback_root} / (name + "-" + hex(fnv1a(data.string()), 12));
    log_line("user postgres cannot reach " + data.string() + "; the database cluster lives in " +
             cluster.string());
    std::error_code root_ec;
    fs::create_directories(fallback_root, root_ec);
    ::chmod(fallback_root, 0755);
  }
  if (auto err = make_owned_dir(cluster, user)) {
    return err;
  }
  self->cluster_dir_ = cluster.string();
  self->pgdata_ = (cluster / "data").string();
  // The socket path must fit sun_path; a deep data directory gets a socket dir under /tmp.
  auto socket_file = "/.s.PGSQL." + std::to_string(socket_port);
  if (self->cluster_dir_.size() + socket_file.size() <= max_socket_path) {
    self->socket_dir_ = self->cluster_dir_;
  } else {
    self->socket_dir_ = "/tmp/leasehold-pg-" + hex(fnv1a(self->cluster_dir_), 12);
    if (auto err = make_owned_dir(self->socket_dir_, user)) {
      return err;
    }
  }
  auto log_file = (cluster / "postgres.log").string();
  std::string base_dsn =
    "host='" + self->socket_dir_ + "' port=" + std::to_string(socket_port) + " user=postgres";
  // First start: a fresh cluster. A half-made one (initdb killed) has no PG_VERSION yet.
  if (!fs::exists(fs::path{self->pgdata_} / "PG_VERSION")) {
    fs::remove_all(self->pgdata_, ec);
    auto initdb = self->bin_dir_ + "/initdb";
    if (!run({initdb, "-D", self->pgdata_, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
              "--locale=C"},
             user, log_file)) {
      return fail("initdb failed:\n" + tail_of(log_file, 20));
    }
  }
  auto pid_file = fs::path{self->pgdata_} / "postmaster.pid";
  auto old_pid = pid_from_file(pid_file);
  if (is_our_server(old_pid, self->pgdata_)) {
    // A server a killed earlier run left behind: adopt it if it answers on our socket.
    if (accepts_connections(base_dsn + " dbname=postgres")) {
      log_line("adopting the PostgreSQL server left running (pid " + std::to_string(old_pid) + ")");
    } else {
      run({self->bin_dir_ + "/pg_ctl", "-D", self->pgdata_, "-m", "fast", "-w", "stop"}, user,
          log_file);
    }
  } else {
    // Locks of a killed server, whose pid may be a zombie or belong to another process by now.
    fs::remove(pid_file, ec);
    auto socket_lock = fs::path{self->socket_dir_ + socket_file + ".lock"};
    if (!is_our_server(pid_from_file(socket_lock), self->pgdata_)) {
      fs::remove(socket_lock, ec);
    }
  }
  if (!accepts_connections(base_dsn + " dbname=postgres")) {
    auto options = "-c listen_addresses='' -c unix_socket_directories='" + self->socket_dir_ +
                   "' -p " + std::to_string(socket_port);
    // Backends of a killed server may hold its shared memory for a moment: try again then.
    auto started = false;
    for (int attempt = 0; attempt < 3 && !started; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::seconds{1});
      }
      started = run({self->bin_dir_ + "/pg_ctl", "-D", self->pgdata_, "-l", log_file, "-w", "-t",
                     "60", "-o", options, "start"},
                    user, log_file);
    }
    if (!started) {
      return fail("the server did not start:\n" + tail_of(log_file, 20));
    }
  }
  if (auto err = create_database(base_dsn + " dbname=postgres")) {
    return err;
  }
  self->dsn_ = base_dsn + " dbname=leasehold";
  return self;
}

embedded_postgres::~embedded_postgres() {
  caf::optional<unix_user> user;
  if (as_postgres_user_) {
    if (auto* pw = ::getpwnam(server_user); pw != nullptr) {
      user = unix_user{pw->pw_uid, pw->pw_gid};
    }
  }
  if (!fs::exists(fs::path{pgdata_} / "postmaster.pid")) {
    return; // stopped already (by another owner of the same cluster)
  }
  auto log_file = cluster_dir_ + "/postgres.log";
  if (!run({bin_dir_ + "/pg_ctl", "-D", pgdata_, "-m", "fast", "-w", "-t", "60", "stop"}, user,
           log_file)) {
    log_line("stopping the embedded PostgreSQL failed; see " + log_file);
  }
}

pid_t embedded_postgres::pid() const { return pid_from_file(fs::path{pgdata_} / "postmaster.pid"); }

} // namespace leasehold::persistence
