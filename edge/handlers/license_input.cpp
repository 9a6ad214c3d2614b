#include "edge/handlers/license_input.hpp"

#include "actors/errc.hpp"
#include "edge/validation.hpp"

#include "leasehold/api/v1/licenses.pb.h"
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>

namespace leasehold::edge {

namespace {

namespace pb = google::protobuf;

caf::error bad(std::string message) { return make_error(errc::bad_request, std::move(message)); }

// A count in [lo, hi] or a bad_request naming `field`.
caf::expected<uint32_t> in_range(const char* field, int64_t x, int64_t lo, int64_t hi) {
  if (x < lo || x > hi) {
    return bad(std::string{field} + " must be an integer from " + std::to_string(lo) + " to " +
               std::to_string(hi));
  }
  return static_cast<uint32_t>(x);
}

// `expires_at` of a request: none for null, the time for an RFC 3339 string.
caf::expected<caf::optional<caf::timestamp>> expiry_from(const pb::Value& value) {
  switch (value.kind_case()) {
  case pb::Value::KIND_NOT_SET:
  case pb::Value::kNullValue:
    return caf::optional<caf::timestamp>{};
  case pb::Value::kStringValue: {
    pb::Timestamp ts;
    if (!pb::util::TimeUtil::FromString(value.string_value(), &ts)) {
      return bad("expires_at must be an RFC 3339 time such as 2027-01-01T00:00:00Z, or null");
    }
    // Whole seconds: what the API prints is what is stored.
    auto since_epoch =
      std::chrono::duration_cast<caf::timespan>(std::chrono::seconds{ts.seconds()});
    return caf::optional<caf::timestamp>{caf::timestamp{since_epoch}};
  }
  default:
    return bad("expires_at must be an RFC 3339 time string or null");
  }
}

caf::error check_feature_name(const std::string& name) {
  if (name.empty() || name.size() > max_feature_name_length) {
    return bad("feature names must have 1 to " + std::to_string(max_feature_name_length) +
               " characters");
  }
  return caf::none;
}

} // namespace

caf::error check_timing(const license_terms& terms) {
  if (terms.session_ttl < 2) {
    return bad("session_ttl must be at least 2 seconds");
  }
  if (terms.heartbeat_interval < 1 || terms.heartbeat_interval >= terms.session_ttl) {
    return bad("heartbeat_interval must be at least 1 and less than session_ttl (" +
               std::to_string(terms.session_ttl) + ")");
  }
  return caf::none;
}

caf::expected<license_terms> terms_from_request(const api::v1::CreateLicenseRequest& req,
                                                const std::string& tenant_id, caf::timestamp now) {
  license_terms terms;
  terms.tenant_id = tenant_id;
  terms.created_at = now;
  terms.product = req.product().empty() ? std::string{"default"} : req.product();
  if (!is_valid_product(terms.product)) {
    return bad("product must have 1 to 64 letters, digits, '-', '_' or '.'");
  }
  if (req.tier().empty()) {
    return bad("tier is required (free, pro, team or enterprise)");
  }
  if (!from_string(req.tier(), terms.tier)) {
    return bad("tier must be free, pro, team or enterprise");
  }
  if (!req.has_seats_total()) {
    return bad("seats_total is required");
  }
  auto seats = in_range("seats_total", req.seats_total(), 0, max_license_seats);
  if (!seats) {
    return std::move(seats.error());
  }
  terms.seats_total = *seats;
  if (req.has_overdraft_seats()) {
    auto x = in_range("overdraft_seats", req.overdraft_seats(), 0, max_license_seats);
    if (!x) {
      return std::move(x.error());
    }
    terms.overdraft_seats = *x;
  }
  if (req.has_expires_at()) {
    auto expiry = expiry_from(req.expires_at());
    if (!expiry) {
      return std::move(expiry.error());
    }
    terms.expires_at = *expiry;
  }
  for (const auto& [name, enabled] : req.features()) {
    if (auto err = check_feature_name(name)) {
      return err;
    }
    terms.features.emplace(name, enabled);
  }
  if (req.has_session_ttl()) {
    auto x = in_range("session_ttl", req.session_ttl(), 2, max_session_ttl);
    if (!x) {
      return std::move(x.error());
    }
    terms.session_ttl = *x;
  }
  if (req.has_heartbeat_interval()) {
    auto x = in_range("heartbeat_interval", req.heartbeat_interval(), 1, max_session_ttl);
    if (!x) {
      return std::move(x.error());
    }
    terms.heartbeat_interval = *x;
  }
  if (req.has_offline_grace()) {
    auto x = in_range("offline_grace", req.offline_grace(), 0, max_offline_grace);
    if (!x) {
      return std::move(x.error());
    }
    terms.offline_grace = *x;
  }
  if (req.has_max_devices()) {
    auto x = in_range("max_devices", req.max_devices(), 0, max_license_devices);
    if (!x) {
      return std::move(x.error());
    }
    terms.max_devices = *x;
  }
  if (auto err = check_timing(terms)) {
    return err;
  }
  return terms;
}

caf::expected<license_patch> patch_from_request(const api::v1::PatchLicenseRequest& req) {
  license_patch patch;
  if (req.has_seats_total()) {
    auto x = in_range("seats_total", req.seats_total(), 0, max_license_seats);
    if (!x) {
      return std::move(x.error());
    }
    patch.seats_total = *x;
  }
  if (req.has_overdraft_seats()) {
    auto x = in_range("overdraft_seats", req.overdraft_seats(), 0, max_license_seats);
    if (!x) {
      return std::move(x.error());
    }
    patch.overdraft_seats = *x;
  }
  if (req.has_status()) {
    license_status status = license_status::active;
    // `expired` is derived from expires_at and never set (from_string refuses it).
    if (!from_string(req.status(), status)) {
      return bad("status must be active, trial, suspended or cancelled");
    }
    patch.status = status;
  }
  if (req.has_expires_at()) {
    auto expiry = expiry_from(req.expires_at());
    if (!expiry) {
      return std::move(expiry.error());
    }
    if (*expiry) {
      patch.expires_at = **expiry;
    } else {
      patch.clear_expires_at = true;
    }
  }
  if (req.has_features()) {
    std::map<std::string, bool> features;
    for (const auto& [name, value] : req.features().fields()) {
      if (auto err = check_feature_name(name)) {
        return err;
      }
      if (value.kind_case() != pb::Value::kBoolValue) {
        return bad("features must map names to true or false (feature '" + name + "')");
      }
      features.emplace(name, value.bool_value());
    }
    patch.features = std::move(features);
  }
  if (req.has_session_ttl()) {
    auto x = in_range("session_ttl", req.session_ttl(), 2, max_session_ttl);
    if (!x) {
      return std::move(x.error());
    }
    patch.session_ttl = *x;
  }
  if (req.has_heartbeat_interval()) {
    auto x = in_range("heartbeat_interval", req.heartbeat_interval(), 1, max_session_ttl);
    if (!x) {
      return std::move(x.error());
    }
    patch.heartbeat_interval = *x;
  }
  return patch;
}

bool is_empty(const license_patch& patch) {
  return !patch.seats_total && !patch.overdraft_seats && !patch.status && !patch.clear_expires_at &&
         !patch.expires_at && !patch.features && !patch.session_ttl && !patch.heartbeat_interval;
}

} // namespace leasehold::edge
