#include "actors/record.hpp"

namespace leasehold {

const char* to_string(record_kind x) {
  switch (x) {
  case record_kind::acquire:
    return "acquire";
  case record_kind::renew:
    return "acquire"; // the audit log shows a re-acquire as an acquire of the same session
  case record_kind::release:
    return "release";
  case record_kind::expire:
    return "expire";
  case record_kind::revoke:
    return "revoke";
  case record_kind::deny:
    return "deny";
  case record_kind::license_create:
    return "provision";
  case record_kind::license_update:
    return "license_update";
  case record_kind::heartbeat:
    return "heartbeat";
  }
  return "unknown";
}

} // namespace leasehold
