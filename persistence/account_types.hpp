#pragma once

#include "actors/caller.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace leasehold::persistence {

/// A user as the API shows it (`user` of API.md).
struct user_info {
  std::string id;
  std::string tenant_id;
  std::string email; // lower case
  std::string name;
  role user_role = role::member;
};

/// A tenant as the API shows it (`tenant` of API.md).
struct tenant_info {
  std::string id;
  std::string name;
  std::string slug;
  std::string status = "active"; // active, trial, suspended, cancelled
};

/// A user together with its tenant (register, me).
struct account {
  user_info user;
  tenant_info tenant;
};

/// What a registration creates. The edge picks the ids and the license key and hashes the
/// password (scrypt runs off the database threads); the store makes `slug_base` unique.
struct registration {
  std::string tenant_id;
  std::string user_id;
  std::string license_id;
  std::string email; // normalized to lower case
  std::string name;
  std::string organization;
  std::string slug_base; // derived from the organization; "-2", "-3", ... are appended if taken
  std::string password_hash;
  std::string license_key;
};

/// A user that a manager adds to their tenant.
struct new_user {
  user_info user;
  std::string password_hash;
};

/// What a login needs from the store: the user and the stored password hash.
struct login_record {
  user_info user;
  std::string password_hash;
};

/// A logged-out access token, refused until it would have expired anyway.
struct revoked_token {
  std::string tenant_id;
  std::string jti;
  int64_t expires_at = 0; // unix seconds
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, user_info& x) {
  return f(caf::meta::type_name("user_info"), x.id, x.tenant_id, x.email, x.name, x.user_role);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, tenant_info& x) {
  return f(caf::meta::type_name("tenant_info"), x.id, x.name, x.slug, x.status);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, account& x) {
  return f(caf::meta::type_name("account"), x.user, x.tenant);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, registration& x) {
  return f(caf::meta::type_name("registration"), x.tenant_id, x.user_id, x.license_id, x.email,
           x.name, x.organization, x.slug_base, x.password_hash, x.license_key);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, new_user& x) {
  return f(caf::meta::type_name("new_user"), x.user, x.password_hash);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, login_record& x) {
  return f(caf::meta::type_name("login_record"), x.user, x.password_hash);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, revoked_token& x) {
  return f(caf::meta::type_name("revoked_token"), x.tenant_id, x.jti, x.expires_at);
}

/// Registers the message types of the accounts store. Every node calls this from its config's
/// constructor (next to `add_domain_types`).
void add_account_types(caf::actor_system_config& cfg);

} // namespace leasehold::persistence
