#include "actors/license.hpp"

#include <tuple>

namespace leasehold {

namespace {

constexpr const char* status_names[] = {"", "active", "trial", "suspended", "cancelled", "expired"};
constexpr const char* tier_names[] = {"", "free", "pro", "team", "enterprise"};

template <class Enum, size_t N>
bool parse_enum(const std::string& text, const char* const (&names)[N], Enum& x) {
  for (size_t i = 1; i < N; ++i) {
    if (text == names[i]) {
      x = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

} // namespace

const char* to_string(license_status x) { return status_names[static_cast<size_t>(x)]; }

const char* to_string(license_tier x) { return tier_names[static_cast<size_t>(x)]; }

bool from_string(const std::string& text, license_status& x) {
  // `expired` is reported, never set.
  return text != "expired" && parse_enum(text, status_names, x);
}

bool from_string(const std::string& text, license_tier& x) {
  return parse_enum(text, tier_names, x);
}

license_status effective_status(const license_terms& x, caf::timestamp now) {
  if (x.expires_at && *x.expires_at <= now) {
    return license_status::expired;
  }
  return x.status;
}

void apply(const license_patch& patch, license_terms& terms) {
  if (patch.seats_total) {
    terms.seats_total = *patch.seats_total;
  }
  if (patch.overdraft_seats) {
    terms.overdraft_seats = *patch.overdraft_seats;
  }
  if (patch.status) {
    terms.status = *patch.status;
  }
  if (patch.clear_expires_at) {
    terms.expires_at = caf::none;
  } else if (patch.expires_at) {
    terms.expires_at = patch.expires_at;
  }
  if (patch.features) {
    terms.features = *patch.features;
  }
  if (patch.session_ttl) {
    terms.session_ttl = *patch.session_ttl;
  }
  if (patch.heartbeat_interval) {
    terms.heartbeat_interval = *patch.heartbeat_interval;
  }
}

bool operator==(const license_terms& x, const license_terms& y) {
  auto tie = [](const license_terms& l) {
    return std::tie(l.id, l.tenant_id, l.key, l.product, l.tier, l.status, l.seats_total,
                    l.overdraft_seats, l.expires_at, l.features, l.heartbeat_interval,
                    l.session_ttl, l.offline_grace, l.max_devices, l.created_at);
  };
  return tie(x) == tie(y);
}

} // namespace leasehold
