#pragma once

#include <caf/expected.hpp>

#include <sys/types.h>

#include <memory>
#include <string>

namespace leasehold::persistence {

/// A private PostgreSQL server for `leasehold serve` without `--database`: its cluster lives
/// under the data directory, it listens on a unix socket only (no TCP), and it stops when this
/// object is destroyed.
///
/// As root, the server runs as the unprivileged `postgres` user; if that user cannot reach
/// the data directory (e.g. under /root), the cluster lives under /var/lib/leasehold instead.
class embedded_postgres {
public:
  /// Initializes the cluster in `<data_dir>/postgres` on first use, starts the server (or
  /// adopts one that a killed earlier run left running), creates the database `leasehold`
  /// if missing and returns once it accepts connections.
  static caf::expected<std::unique_ptr<embedded_postgres>> start(const std::string& data_dir);

  /// Stops the server (fast shutdown: open sessions are rolled back).
  ~embedded_postgres();

  embedded_postgres(const embedded_postgres&) = delete;
  embedded_postgres& operator=(const embedded_postgres&) = delete;

  /// The libpq connection string of the database `leasehold`.
  const std::string& dsn() const { return dsn_; }

  /// The directory that holds the cluster (`data/`, the server log).
  const std::string& cluster_dir() const { return cluster_dir_; }

  /// The directory of the server's unix socket.
  const std::string& socket_dir() const { return socket_dir_; }

  /// The server's process id (from postmaster.pid).
  pid_t pid() const;

private:
  embedded_postgres() = default;

  std::string bin_dir_;
  std::string cluster_dir_;
  std::string pgdata_;
  std::string socket_dir_;
  std::string dsn_;
  bool as_postgres_user_ = false;
};

} // namespace leasehold::persistence
