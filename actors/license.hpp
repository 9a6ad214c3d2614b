#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/optional.hpp>
#include <caf/timestamp.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace leasehold {

/// A license's stored status; `expired` is derived from `expires_at`, never stored.
enum class license_status : uint8_t { active = 1, trial, suspended, cancelled, expired };

/// Commercial tier of a license.
enum class license_tier : uint8_t { free = 1, pro, team, enterprise };

const char* to_string(license_status x);
const char* to_string(license_tier x);
/// Parses the API's lower-case names; false for anything else.
bool from_string(const std::string& text, license_status& x);
bool from_string(const std::string& text, license_tier& x);

/// Everything a tenant owns about one license except its live usage.
struct license_terms {
  std::string id;
  std::string tenant_id;
  std::string key; // LH-XXXXX-XXXXX-XXXXX-XXXXX
  std::string product = "default";
  license_tier tier = license_tier::free;
  license_status status = license_status::active;
  uint32_t seats_total = 1;
  uint32_t overdraft_seats = 0;
  caf::optional<caf::timestamp> expires_at;
  std::map<std::string, bool> features;
  uint32_t heartbeat_interval = 300; // seconds
  uint32_t session_ttl = 360;        // seconds
  uint32_t offline_grace = 259200;   // seconds (72 h)
  uint32_t max_devices = 0;          // 0: unlimited
  caf::timestamp created_at;
};

/// The status a client sees at `now`: `expired` once `expires_at` has passed.
license_status effective_status(const license_terms& x, caf::timestamp now);

/// A license as the API shows it: terms plus the live seat count from the tenant's ledger.
struct license_view {
  license_terms terms;
  uint32_t seats_used = 0;
};

/// Fields an operator may change on a license; absent fields stay as they are.
struct license_patch {
  std::string tenant_id;
  std::string license_id;
  caf::optional<uint32_t> seats_total;
  caf::optional<uint32_t> overdraft_seats;
  caf::optional<license_status> status;
  bool clear_expires_at = false; // `"expires_at": null`
  caf::optional<caf::timestamp> expires_at;
  caf::optional<std::map<std::string, bool>> features;
  caf::optional<uint32_t> session_ttl;
  caf::optional<uint32_t> heartbeat_interval;
};

/// Applies `patch` to `terms`.
void apply(const license_patch& patch, license_terms& terms);

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, license_terms& x) {
  return f(caf::meta::type_name("license_terms"), x.id, x.tenant_id, x.key, x.product, x.tier,
           x.status, x.seats_total, x.overdraft_seats, x.expires_at, x.features,
           x.heartbeat_interval, x.session_ttl, x.offline_grace, x.max_devices, x.created_at);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, license_view& x) {
  return f(caf::meta::type_name("license_view"), x.terms, x.seats_used);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, license_patch& x) {
  return f(caf::meta::type_name("license_patch"), x.tenant_id, x.license_id, x.seats_total,
           x.overdraft_seats, x.status, x.clear_expires_at, x.expires_at, x.features, x.session_ttl,
           x.heartbeat_interval);
}

bool operator==(const license_terms& x, const license_terms& y);

} // namespace leasehold
