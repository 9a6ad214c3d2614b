#include "edge/handlers/account_json.hpp"

#include "leasehold/api/v1/accounts.pb.h"

namespace leasehold::edge {

void to_proto(const persistence::user_info& x, api::v1::User& out) {
  out.set_id(x.id);
  out.set_email(x.email);
  out.set_name(x.name);
  out.set_role(to_string(x.user_role));
  out.set_tenant_id(x.tenant_id);
}

void to_proto(const persistence::tenant_info& x, api::v1::Tenant& out) {
  out.set_id(x.id);
  out.set_name(x.name);
  out.set_slug(x.slug);
  out.set_status(x.status);
}

} // namespace leasehold::edge
