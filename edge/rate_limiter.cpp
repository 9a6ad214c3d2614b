#include "edge/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace leasehold::edge {

namespace {

using std::chrono::seconds;

constexpr seconds minute{60};
constexpr seconds failed_login_window{15 * 60};

// Prune every this many calls; cheap enough and needs no timer thread.
constexpr uint64_t prune_every = 4096;

constexpr char user_kind = 'u';
constexpr char register_kind = 'r';
constexpr char failed_login_kind = 'f';

void fill_key(std::string& key, char kind, std::string_view a, std::string_view b) {
  key.clear();
  key.push_back(kind);
  key.append(a);
  key.push_back('\0');
  key.append(b);
}

std::string make_key(char kind, std::string_view a, std::string_view b) {
  std::string key;
  fill_key(key, kind, a, b);
  return key;
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

} // namespace

rate_limiter::rate_limiter(rate_limits limits, clock_fn now)
    : limits_(limits), now_(std::move(now)) {
  if (!now_) {
    now_ = [] { return std::chrono::steady_clock::now(); };
  }
}

rate_limiter::shard& rate_limiter::shard_for(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % shard_count];
}

// A bucket holds up to `capacity` tokens and refills `capacity` tokens per `window`. A new
// bucket starts full. Buckets are stored with their time of last update; a bucket that would
// be full by now carries no information and may be dropped (see prune).
rate_limiter::decision rate_limiter::take(char kind, std::string_view a, std::string_view b,
                                          uint32_t capacity, seconds window, bool consume,
                                          double amount) {
  if (capacity == 0) {
    return {}; // limit disabled
  }
  maybe_prune();
  // Every API request passes here: its key is built in this thread's buffer, and copied only
  // into a new bucket.
  thread_local std::string key;
  fill_key(key, kind, a, b);
  auto now = now_();
  auto cap = static_cast<double>(capacity);
  auto per_second = cap / static_cast<double>(window.count());
  auto& s = shard_for(key);
  std::lock_guard<std::mutex> guard{s.mtx};
  auto i = s.buckets.find(key);
  if (i == s.buckets.end()) {
    if (!consume) {
      return {}; // nothing recorded: a full bucket
    }
    i = s.buckets.emplace(key, bucket{cap, now, now}).first;
  }
  auto& bkt = i->second;
  std::chrono::duration<double> elapsed = now - bkt.updated;
  bkt.tokens = std::min(cap, bkt.tokens + std::max(0.0, elapsed.count()) * per_second);
  bkt.updated = now;
  decision result;
  if (bkt.tokens + 1e-9 >= amount) {
    if (consume) {
      bkt.tokens -= amount;
    }
  } else {
    result.allowed = false;
    result.retry_after =
      static_cast<uint32_t>(std::max(1.0, std::ceil((amount - bkt.tokens) / per_second - 1e-6)));
  }
  auto missing = cap - bkt.tokens;
  bkt.full_at = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(missing / per_second));
  return result;
}

rate_limiter::decision rate_limiter::allow_user_request(std::string_view user,
                                                        std::string_view route) {
  return take(user_kind, user, route, limits_.user_per_min, minute, true, 1.0);
}

rate_limiter::decision rate_limiter::check_register(std::string_view address) {
  return take(register_kind, address, {}, limits_.register_per_ip_per_min, minute, true, 1.0);
}

bool rate_limiter::allow_register(std::string_view address) {
  return check_register(address).allowed;
}

bool rate_limiter::failed_login_blocked(std::string_view email) {
  return failed_login_retry_after(email) > 0;
}

uint32_t rate_limiter::failed_login_retry_after(std::string_view email) {
  // Blocked while less than one failure is left in the budget.
  auto d = take(failed_login_kind, lower(email), {}, limits_.failed_logins_per_15_min,
                failed_login_window, false, 1.0);
  return d.allowed ? 0 : d.retry_after;
}

void rate_limiter::record_failed_login(std::string_view email) {
  auto capacity = limits_.failed_logins_per_15_min;
  if (capacity == 0) {
    return;
  }
  // Always counts, even when already blocked: the budget may go down to zero, not below.
  auto d = take(failed_login_kind, lower(email), {}, capacity, failed_login_window, true, 1.0);
  if (!d.allowed) {
    auto key = make_key(failed_login_kind, lower(email), {});
    auto& s = shard_for(key);
    std::lock_guard<std::mutex> guard{s.mtx};
    auto i = s.buckets.find(key);
    if (i != s.buckets.end()) {
      auto now = now_();
      i->second.tokens = 0;
      i->second.updated = now;
      i->second.full_at = now + failed_login_window;
    }
  }
}

void rate_limiter::clear_failed_logins(std::string_view email) {
  auto key = make_key(failed_login_kind, lower(email), {});
  auto& s = shard_for(key);
  std::lock_guard<std::mutex> guard{s.mtx};
  s.buckets.erase(key);
}

void rate_limiter::maybe_prune() {
  if (calls_.fetch_add(1, std::memory_order_relaxed) % prune_every == prune_every - 1) {
    prune();
  }
}

void rate_limiter::prune() {
  auto now = now_();
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> guard{s.mtx};
    for (auto i = s.buckets.begin(); i != s.buckets.end();) {
      if (i->second.full_at <= now) {
        i = s.buckets.erase(i);
      } else {
        ++i;
      }
    }
  }
}

size_t rate_limiter::size() {
  size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> guard{s.mtx};
    n += s.buckets.size();
  }
  return n;
}

} // namespace leasehold::edge
