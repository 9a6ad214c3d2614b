#pragma once

#include "actors/atoms.hpp"
#include "actors/store.hpp"

#include <caf/actor_system.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace leasehold::persistence {

/// Tuning of the record store; the defaults suit a server.
struct record_store_options {
  /// Writer shards, each with its own connection; a tenant always goes to the same one. One
  /// writer makes the largest transactions (fewest commits and statements per record); more
  /// help when one connection's round trips, not the database's CPU, are the limit.
  size_t shards = 1;
  /// Records per transaction at most (more wait for the next one).
  size_t max_batch = 256;
  /// Lazily written notes (heartbeats, denials) reach the database within this time.
  std::chrono::milliseconds note_delay{1000};
  /// Records kept per shard while the database is unreachable (session ends, notes).
  size_t max_kept = 100000;
  /// Reconnect backoff: first delay, doubled after each failure up to the maximum. The cap is
  /// short because acquires answer 503 until the shard is back: a connect attempt is cheap.
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{1000};
};

/// Counters of a record store (summed over its shards).
struct record_store_stats {
  /// Upper bounds (seconds) of the commit-time histogram: acquires and releases wait for their
  /// commit, so its tail is theirs (fsync included).
  static constexpr std::array<double, 10> commit_bounds = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                           0.05,  0.1,    0.25,  1.0,  5.0};

  uint64_t batches = 0;    // committed transactions
  uint64_t records = 0;    // records and notes committed
  uint64_t failed = 0;     // records answered with an error (or notes dropped)
  uint64_t reconnects = 0; // successful reconnects after a lost connection
  uint64_t kept = 0;       // records waiting for the database right now
  uint32_t shards = 0;     // writer shards
  uint32_t connected = 0;  // shards with a live connection
  /// Committed transactions that took at most `commit_bounds[i]` from first statement to
  /// commit (cumulative, as Prometheus wants them); `batches` is the count of all.
  std::vector<uint64_t> commits_within = std::vector<uint64_t>(commit_bounds.size());
  double commit_seconds = 0; // summed over committed transactions

  /// Counts one committed transaction of `committed` records that took `seconds`.
  void count_commit(uint64_t committed, double seconds);

  /// Adds another shard's figures.
  record_store_stats& operator+=(const record_store_stats& other);

  /// Records per committed transaction.
  double average_batch() const {
    return batches == 0 ? 0.0 : static_cast<double>(records) / static_cast<double>(batches);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, record_store_stats& x) {
  return f(caf::meta::type_name("record_store_stats"), x.batches, x.records, x.failed, x.reconnects,
           x.kept, x.shards, x.connected, x.commits_within, x.commit_seconds);
}

/// The store's own interface: `store_actor` plus its counters. Get it from a `store_actor`
/// returned by `spawn_record_store` with `caf::actor_cast<record_store_actor>(store)`.
using record_store_actor =
  store_actor::extend<caf::replies_to<stats_atom>::with<record_store_stats>>;

/// Starts the PostgreSQL record store behind `store_actor` (see actors/store.hpp): records of
/// many tenants share transactions (group commit); each tenant's records keep their order.
/// The database needs the schema (`apply_migrations`). Starting never fails: an unreachable
/// database is retried in the background while requests are answered as the contract says.
store_actor spawn_record_store(caf::actor_system& sys, std::string dsn,
                               record_store_options opts = {});

} // namespace leasehold::persistence
