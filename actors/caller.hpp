#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace leasehold {

/// A user's role inside a tenant; higher values may do more.
enum class role : uint8_t { guest = 1, member = 2, admin = 3, owner = 4 };

const char* to_string(role x);
/// Parses the API's lower-case names; false for anything else.
bool from_string(const std::string& text, role& x);

/// True for roles that manage the tenant (owner, admin).
inline bool is_manager(role x) { return x >= role::admin; }

/// Who sends a request, as the verified access token says.
struct caller {
  std::string tenant_id;
  std::string user_id;
  std::string user_email;
  role user_role = role::member;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, caller& x) {
  return f(caf::meta::type_name("caller"), x.tenant_id, x.user_id, x.user_email, x.user_role);
}

} // namespace leasehold
