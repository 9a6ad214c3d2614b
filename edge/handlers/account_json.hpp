#pragma once

#include "persistence/account_types.hpp"

namespace leasehold::api::v1 {
class Tenant;
class User;
} // namespace leasehold::api::v1

namespace leasehold::edge {

/// The API's `user` object.
void to_proto(const persistence::user_info& x, api::v1::User& out);

/// The API's `tenant` object.
void to_proto(const persistence::tenant_info& x, api::v1::Tenant& out);

} // namespace leasehold::edge
