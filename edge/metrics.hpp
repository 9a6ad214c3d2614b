#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace leasehold::edge {

/// HTTP request counters and latency histograms by route pattern, in Prometheus text format.
/// Thread-safe; one per server.
class http_metrics {
public:
  /// Upper bounds (seconds) of the latency histogram buckets.
  static constexpr std::array<double, 12> latency_bounds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  /// Counts one answered request. `route` is the matched pattern ("" for unknown paths).
  void record(std::string_view route, unsigned status, std::chrono::nanoseconds latency);

  /// Counts one accepted connection / one closed connection.
  void connection_opened();
  void connection_closed();
  /// Counts a connection moved to the I/O thread of the CPU its packets now arrive on.
  void connection_moved();

  /// Appends the metrics in exposition format 0.0.4.
  void write(std::string& out) const;

private:
  struct route_figures {
    std::array<uint64_t, 5> by_class{}; // 1xx..5xx
    std::array<uint64_t, latency_bounds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;

    route_figures& operator+=(const route_figures& other);
  };
  using route_map = std::map<std::string, route_figures, std::less<>>;

  // Requests are counted in shards chosen by thread: I/O threads on different CPUs would
  // otherwise take one lock and write one set of counters on every request, and those cache
  // lines would move between the CPUs each time. `write` adds the shards up.
  struct alignas(64) shard {
    mutable std::mutex mtx;
    route_map routes;
  };
  static constexpr size_t shard_count = 16;

  std::array<shard, shard_count> shards_;
  mutable std::mutex mtx_; // guards the connection counts
  uint64_t connections_opened_ = 0;
  uint64_t connections_moved_ = 0;
  uint64_t connections_closed_ = 0;
};

/// Resident set size of this process in bytes (0 if unknown).
uint64_t process_resident_bytes();

/// Appends one histogram's samples in exposition format: for each of the `size` `bounds`
/// (seconds) the cumulative count `within` it, then `+Inf`, `_sum` and `_count`. `labels` is
/// empty or `key="value",...` (escaped).
void append_histogram(std::string& out, std::string_view name, std::string_view labels,
                      const double* bounds, const uint64_t* within, size_t size, uint64_t count,
                      double sum);

/// Escapes a Prometheus label value (backslash, quote, newline).
std::string escape_label(std::string_view value);

} // namespace leasehold::edge
