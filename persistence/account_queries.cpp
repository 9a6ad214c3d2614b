#include "persistence/account_queries.hpp"

#include "actors/errc.hpp"

#include <algorithm>
#include <functional>
#include <utility>

namespace leasehold::persistence {

namespace {

constexpr const char* insert_tenant_sql =
  "INSERT INTO tenants (id, name, slug, status) VALUES ($1, $2, $3, $4) "
  "ON CONFLICT (slug) DO NOTHING RETURNING id";

constexpr const char* insert_user_sql =
  "INSERT INTO users (tenant_id, id, email, name, role, password_hash) "
  "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id";

// The free license of a new tenant: product default, one seat, the API's default timing.
constexpr const char* insert_free_license_sql =
  "INSERT INTO licenses (tenant_id, id, key, product, tier, status, seats_total, "
  "heartbeat_interval, session_ttl, offline_grace) "
  "VALUES ($1, $2, $3, 'default', 'free', 'active', $4, 300, 360, 259200)";

constexpr const char* insert_provision_audit_sql =
  "INSERT INTO audit_log (tenant_id, license_id, action, user_id, at, detail) "
  "VALUES ($1, $2, 'provision', $3, now(), '{\"source\": \"register\"}')";

constexpr const char* select_login_sql =
  "SELECT id, tenant_id, email, name, role, password_hash FROM users WHERE email = $1";

constexpr const char* select_account_sql =
  "SELECT u.id, u.tenant_id, u.email, u.name, u.role, t.id, t.name, t.slug, t.status "
  "FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = $1 AND u.id = $2";

constexpr const char* select_tenant_sql =
  "SELECT id, name, slug, status FROM tenants WHERE id = $1";

constexpr const char* select_users_sql =
  "SELECT id, tenant_id, email, name, role FROM users WHERE tenant_id = $1 "
  "ORDER BY created_at, email";

constexpr const char* select_license_owner_sql = "SELECT tenant_id FROM licenses WHERE id = $1";

constexpr const char* insert_revoked_sql =
  "INSERT INTO revoked_tokens (tenant_id, jti, expires_at) VALUES ($1, $2, to_timestamp($3)) "
  "ON CONFLICT DO NOTHING";

constexpr const char* delete_expired_revoked_sql =
  "DELETE FROM revoked_tokens WHERE expires_at <= now()";

constexpr const char* select_revoked_sql =
  "SELECT tenant_id, jti, extract(epoch FROM expires_at)::bigint FROM revoked_tokens "
  "WHERE expires_at > now()";

// Registration tries the plain slug, then these numbered suffixes, then a random one.
constexpr int numbered_slug_attempts = 9;
constexpr size_t max_slug_length = 63;

user_info user_at(const pg_result& res, int row, int first_col) {
  user_info user;
  user.id = res.text(row, first_col);
  user.tenant_id = res.text(row, first_col + 1);
  user.email = res.text(row, first_col + 2);
  user.name = res.text(row, first_col + 3);
  // The schema's CHECK allows only the four role names.
  role parsed = role::member;
  from_string(res.text(row, first_col + 4), parsed);
  user.user_role = parsed;
  return user;
}

tenant_info tenant_at(const pg_result& res, int row, int first_col) {
  tenant_info tenant;
  tenant.id = res.text(row, first_col);
  tenant.name = res.text(row, first_col + 1);
  tenant.slug = res.text(row, first_col + 2);
  tenant.status = res.text(row, first_col + 3);
  return tenant;
}

std::string with_suffix(const std::string& base, const std::string& suffix) {
  auto keep = std::min(base.size(), max_slug_length - suffix.size());
  auto head = base.substr(0, keep);
  while (!head.empty() && head.back() == '-') {
    head.pop_back();
  }
  return head + suffix;
}

// The slug candidates for `reg`: base, base-2 .. base-10, base-<8 hex of the tenant id>.
std::vector<std::string> slug_candidates(const registration& reg) {
  std::vector<std::string> out;
  out.push_back(with_suffix(reg.slug_base, ""));
  for (int i = 2; i <= numbered_slug_attempts + 1; ++i) {
    out.push_back(with_suffix(reg.slug_base, "-" + std::to_string(i)));
  }
  out.push_back(with_suffix(reg.slug_base, "-" + reg.tenant_id.substr(0, 8)));
  return out;
}

caf::error insert_tenant_with_unique_slug(pg_connection& db, const registration& reg,
                                          std::string& slug) {
  for (auto& candidate : slug_candidates(reg)) {
    auto res = db.exec(insert_tenant_sql, reg.tenant_id, reg.organization, candidate, "active");
    if (!res) {
      return std::move(res.error());
    }
    if (res->rows() == 1) {
      slug = candidate;
      return caf::none;
    }
  }
  return make_error(errc::internal, "no free slug for organization " + reg.organization);
}

} // namespace

caf::error in_transaction(pg_connection& db, const std::function<caf::error()>& fn) {
  if (auto err = db.exec_script("BEGIN")) {
    return err;
  }
  auto err = fn();
  if (!err) {
    err = db.exec_script("COMMIT");
    if (!err) {
      return caf::none;
    }
  }
  // A lost connection has no transaction left to roll back; ignore the second error.
  db.exec_script("ROLLBACK");
  return err;
}

caf::expected<account> register_account(pg_connection& db, const registration& reg) {
  account result;
  auto err = in_transaction(db, [&]() -> caf::error {
    std::string slug;
    if (auto failed = insert_tenant_with_unique_slug(db, reg, slug)) {
      return failed;
    }
    auto user = db.exec(insert_user_sql, reg.tenant_id, reg.user_id, reg.email, reg.name,
                        to_string(role::owner), reg.password_hash);
    if (!user) {
      return std::move(user.error());
    }
    if (user->rows() == 0) {
      return make_error(errc::conflict, "an account with this email already exists");
    }
    auto license = db.exec(insert_free_license_sql, reg.tenant_id, reg.license_id, reg.license_key,
                           registration_seats);
    if (!license) {
      return std::move(license.error());
    }
    auto audit = db.exec(insert_provision_audit_sql, reg.tenant_id, reg.license_id, reg.user_id);
    if (!audit) {
      return std::move(audit.error());
    }
    result.tenant = tenant_info{reg.tenant_id, reg.organization, slug, "active"};
    result.user = user_info{reg.user_id, reg.tenant_id, reg.email, reg.name, role::owner};
    return caf::none;
  });
  if (err) {
    return err;
  }
  return result;
}

caf::expected<login_record> find_login(pg_connection& db, const std::string& email) {
  auto res = db.exec(select_login_sql, email);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::not_found, "no user with this email");
  }
  return login_record{user_at(*res, 0, 0), res->text(0, 5)};
}

caf::expected<account> find_account(pg_connection& db, const std::string& tenant_id,
                                    const std::string& user_id) {
  if (!is_uuid(tenant_id) || !is_uuid(user_id)) {
    return make_error(errc::not_found, "no such user");
  }
  auto res = db.exec(select_account_sql, tenant_id, user_id);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::not_found, "no such user");
  }
  return account{user_at(*res, 0, 0), tenant_at(*res, 0, 5)};
}

caf::expected<tenant_info> find_tenant(pg_connection& db, const std::string& tenant_id) {
  if (!is_uuid(tenant_id)) {
    return make_error(errc::not_found, "no such tenant");
  }
  auto res = db.exec(select_tenant_sql, tenant_id);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::not_found, "no such tenant");
  }
  return tenant_at(*res, 0, 0);
}

caf::expected<std::vector<user_info>> list_users(pg_connection& db, const std::string& tenant_id) {
  std::vector<user_info> users;
  if (!is_uuid(tenant_id)) {
    return users;
  }
  auto res = db.exec(select_users_sql, tenant_id);
  if (!res) {
    return std::move(res.error());
  }
  for (int row = 0; row < res->rows(); ++row) {
    users.push_back(user_at(*res, row, 0));
  }
  return users;
}

caf::expected<user_info> add_user(pg_connection& db, const new_user& x) {
  auto& user = x.user;
  auto res = db.exec(insert_user_sql, user.tenant_id, user.id, user.email, user.name,
                     to_string(user.user_role), x.password_hash);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::conflict, "an account with this email already exists");
  }
  return user;
}

caf::expected<tenant_info> add_tenant(pg_connection& db, const tenant_info& x) {
  auto res = db.exec(insert_tenant_sql, x.id, x.name, x.slug, x.status);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::conflict, "a tenant with slug " + x.slug + " already exists");
  }
  return x;
}

caf::expected<std::string> license_owner(pg_connection& db, const std::string& license_id) {
  if (!is_uuid(license_id)) {
    return make_error(errc::not_found, "no such license");
  }
  auto res = db.exec(select_license_owner_sql, license_id);
  if (!res) {
    return std::move(res.error());
  }
  if (res->rows() == 0) {
    return make_error(errc::not_found, "no such license");
  }
  return res->text(0, 0);
}

caf::error revoke_token(pg_connection& db, const revoked_token& x) {
  auto res = db.exec(insert_revoked_sql, x.tenant_id, x.jti, x.expires_at);
  if (!res) {
    return std::move(res.error());
  }
  return caf::none;
}

caf::expected<std::vector<revoked_token>> live_revoked_tokens(pg_connection& db) {
  if (auto res = db.exec(delete_expired_revoked_sql); !res) {
    return std::move(res.error());
  }
  auto res = db.exec(select_revoked_sql);
  if (!res) {
    return std::move(res.error());
  }
  std::vector<revoked_token> out;
  for (int row = 0; row < res->rows(); ++row) {
    out.push_back(revoked_token{res->text(row, 0), res->text(row, 1), res->int64(row, 2)});
  }
  return out;
}

} // namespace leasehold::persistence
