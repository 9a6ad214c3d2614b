#include "edge/handlers/license_json.hpp"

#include "leasehold/api/v1/licenses.pb.h"
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>

namespace leasehold::edge {

namespace {

int64_t unix_seconds(caf::timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

void set_timestamp(caf::timestamp t, google::protobuf::Timestamp& out) {
  out.set_seconds(unix_seconds(t));
  out.set_nanos(0);
}

} // namespace

std::string mask_license_key(std::string_view key) {
  // Keep the prefix and the first group: enough to tell keys apart, useless to use one.
  size_t keep = 0;
  size_t hyphens = 0;
  while (keep < key.size() && hyphens < 2) {
    if (key[keep] == '-') {
      ++hyphens;
      if (hyphens == 2) {
        break;
      }
    }
    ++keep;
  }
  std::string out{key.substr(0, keep)};
  for (size_t i = keep; i < key.size(); ++i) {
    out.push_back(key[i] == '-' ? '-' : '*');
  }
  return out;
}

std::string to_rfc3339(caf::timestamp t) {
  google::protobuf::Timestamp ts;
  set_timestamp(t, ts);
  return google::protobuf::util::TimeUtil::ToString(ts);
}

void to_proto(const license_view& view, key_visibility keys, caf::timestamp now,
              api::v1::License& out) {
  const auto& terms = view.terms;
  out.Clear();
  out.set_id(terms.id);
  out.set_tenant_id(terms.tenant_id);
  out.set_key(keys == key_visibility::full ? terms.key : mask_license_key(terms.key));
  out.set_product(terms.product);
  out.set_tier(to_string(terms.tier));
  out.set_status(to_string(effective_status(terms, now)));
  out.set_seats_total(terms.seats_total);
  out.set_seats_used(view.seats_used);
  out.set_overdraft_seats(terms.overdraft_seats);
  if (terms.expires_at) {
    out.mutable_expires_at()->set_string_value(to_rfc3339(*terms.expires_at));
  } else {
    out.mutable_expires_at()->set_null_value(google::protobuf::NULL_VALUE);
  }
  for (const auto& [name, enabled] : terms.features) {
    (*out.mutable_features())[name] = enabled;
  }
  out.set_heartbeat_interval(terms.heartbeat_interval);
  out.set_session_ttl(terms.session_ttl);
  out.set_offline_grace(terms.offline_grace);
  out.set_max_devices(terms.max_devices);
  set_timestamp(terms.created_at, *out.mutable_created_at());
}

} // namespace leasehold::edge
