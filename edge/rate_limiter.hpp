#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leasehold::edge {

/// Limits of the API (API.md, "Limits and configuration"). Zero disables a limit.
struct rate_limits {
  uint32_t user_per_min = 600;            // requests per user per route per minute
  uint32_t register_per_ip_per_min = 60;  // registrations per client address per minute
  uint32_t failed_logins_per_15_min = 10; // failed logins per email per 15 minutes
};

/// In-process token buckets, sharded by key so that concurrent I/O threads rarely contend.
/// Thread-safe. Old buckets are pruned as a side effect of use (every few thousand calls).
class rate_limiter {
public:
  using clock_fn = std::function<std::chrono::steady_clock::time_point()>;

  /// Outcome of a check: allowed, or the seconds until a token is available.
  struct decision {
    bool allowed = true;
    uint32_t retry_after = 0; // seconds, >= 1 when not allowed
  };

  explicit rate_limiter(rate_limits limits, clock_fn now = {});

  /// Takes a token for `user` on `route` (route = the pattern, not the concrete path).
  decision allow_user_request(std::string_view user, std::string_view route);

  /// Takes a token for a registration from `address`.
  bool allow_register(std::string_view address);
  decision check_register(std::string_view address);

  /// True if `email` had too many failed logins recently (does not consume anything).
  bool failed_login_blocked(std::string_view email);
  /// Seconds until `email` may try again (0 if not blocked).
  uint32_t failed_login_retry_after(std::string_view email);
  /// Counts a failed login for `email`.
  void record_failed_login(std::string_view email);
  /// Forgets failures of `email` (after a successful login).
  void clear_failed_logins(std::string_view email);

  /// Drops buckets that are full again (they carry no information). Called automatically.
  void prune();

  /// Number of buckets held (for tests and metrics).
  size_t size();

  const rate_limits& limits() const { return limits_; }

private:
  struct bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
    std::chrono::steady_clock::time_point full_at; // when the bucket is full again
  };

  struct shard {
    std::mutex mtx;
    std::unordered_map<std::string, bucket> buckets;
  };

  static constexpr size_t shard_count = 16;

  decision take(char kind, std::string_view a, std::string_view b, uint32_t capacity,
                std::chrono::seconds window, bool consume, double amount);
  shard& shard_for(const std::string& key);
  void maybe_prune();

  rate_limits limits_;
  clock_fn now_;
  std::array<shard, shard_count> shards_;
  std::atomic<uint64_t> calls_{0};
};

} // namespace leasehold::edge
