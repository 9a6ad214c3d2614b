#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace leasehold::edge {

/// Counts one connection on one I/O context for as long as it lives (the session holds it).
class connection_slot {
public:
  connection_slot() = default;
  explicit connection_slot(std::shared_ptr<std::atomic<size_t>> count);
  connection_slot(connection_slot&& other) noexcept = default;
  connection_slot& operator=(connection_slot&& other) noexcept;
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;
  ~connection_slot();

private:
  // Shared: a session may outlive the server that placed it (an actor's answer holds it).
  std::shared_ptr<std::atomic<size_t>> count_;
};

/// Chooses the I/O context of each new connection: one that serves the CPU its packets arrive
/// on (SO_INCOMING_CPU: for a NIC, the CPU of its receive queue; on loopback, the client's).
/// A thread then serves one CPU's connections, and the scheduler can keep it on that CPU; one
/// that serves every CPU's connections is woken from all of them and keeps moving (a wake-up
/// across CPUs and cold caches per request). On two cores this raised heartbeats by up to a
/// quarter; threads are not pinned by default (`--pin-io-threads`), so how much depends on
/// where the scheduler puts them (pinning measured steadier heartbeats but a worse
/// acquire+release p99: bench/RESULTS.md).
///
/// Context i serves the CPUs of group i % groups. Traffic that all arrives on one CPU (a
/// single-queue NIC) must not leave the other threads idle: once a CPU's least busy context
/// holds twice the connections of the least busy context overall, plus `slack`, that one gets
/// the next. (The slack lets one client thread open its connections before another does.)
///
/// Safe on any thread (the acceptor places, each I/O thread re-places its own connections):
/// the counts are atomic and the CPU map is fixed. Two threads choosing at once may pick the
/// same context, which leaves a small imbalance and no harm.
class connection_placement {
public:
  /// For `contexts` I/O contexts on a machine whose usable CPUs have the ids `cpus`.
  connection_placement(size_t contexts, const std::vector<int>& cpus, size_t slack = 16);

  /// The context for a connection whose packets arrive on CPU `cpu` (-1: unknown).
  size_t pick(int cpu) const;

  /// Where a connection served by context `current` should be served now that its packets
  /// arrive on `cpu`: `current` while that serves `cpu`'s group (or the balance guard keeps it
  /// there), else the context `pick` gives. A client thread may run on another CPU than the
  /// one it connected from (a new thread starts next to the one that made it); its
  /// connections follow it.
  size_t place_again(int cpu, size_t current) const;

  /// Counts a connection on context `index` until the slot ends.
  connection_slot occupy(size_t index);

  /// Connections open on context `index`.
  size_t load(size_t index) const;

  /// The ids of the CPUs whose connections context `index` serves: where its thread belongs.
  std::vector<int> cpus_of(size_t index) const;

private:
  template <class InGroup> size_t least_loaded(InGroup in_group) const;
  int group_of(int cpu) const; // -1: not usable

  std::vector<std::shared_ptr<std::atomic<size_t>>> open_; // by context
  std::vector<int> group_of_cpu_;                          // by CPU id; -1: not usable
  size_t groups_;
  size_t slack_;
};

} // namespace leasehold::edge
