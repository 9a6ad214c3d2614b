#include "persistence/demo_seed.hpp"

#include "actors/errc.hpp"
#include "persistence/account_queries.hpp"

#include <utility>

namespace leasehold::persistence {

namespace {

constexpr const char* insert_demo_tenant_sql =
  "INSERT INTO tenants (id, name, slug, status) VALUES ($1, $2, $3, 'active') "
  "ON CONFLICT DO NOTHING";

constexpr const char* select_tenant_slug_sql = "SELECT id FROM tenants WHERE slug = $1";

constexpr const char* insert_demo_user_sql =
  "INSERT INTO users (tenant_id, id, email, name, role, password_hash) "
  "VALUES ($1, $2, $3, 'Demo Owner', 'owner', $4) ON CONFLICT DO NOTHING";

constexpr const char* select_user_by_email_sql = "SELECT id FROM users WHERE email = $1";

constexpr const char* insert_demo_license_sql =
  "INSERT INTO licenses (tenant_id, id, key, product, tier, status, seats_total, "
  "heartbeat_interval, session_ttl, offline_grace) "
  "VALUES ($1, $2, $3, 'default', 'pro', 'active', $4, 300, 360, 259200) "
  "ON CONFLICT DO NOTHING";

constexpr const char* select_license_key_sql =
  "SELECT key FROM licenses WHERE tenant_id = $1 AND id = $2";

// The one id that `sql` (with one parameter) finds, or "" if none.
caf::expected<std::string> lookup_id(pg_connection& db, const char* sql, const std::string& param) {
  auto res = db.exec(sql, param);
  if (!res) {
    return std::move(res.error());
  }
  return res->rows() > 0 ? res->text(0, 0) : std::string{};
}

} // namespace

caf::expected<demo_account> seed_demo(pg_connection& db, const std::string& password_hash,
                                      const std::string& license_key) {
  demo_account out{demo_email, demo_password, demo_tenant_id, demo_user_id, demo_license_id, ""};
  auto err = in_transaction(db, [&]() -> caf::error {
    if (auto res =
          db.exec(insert_demo_tenant_sql, demo_tenant_id, demo_tenant_name, demo_tenant_slug);
        !res) {
      return std::move(res.error());
    }
    auto slug_owner = lookup_id(db, select_tenant_slug_sql, demo_tenant_slug);
    if (!slug_owner) {
      return std::move(slug_owner.error());
    }
    if (*slug_owner != demo_tenant_id) {
      return make_error(errc::conflict, "the slug demo-org belongs to another tenant");
    }
    if (auto res =
          db.exec(insert_demo_user_sql, demo_tenant_id, demo_user_id, demo_email, password_hash);
        !res) {
      return std::move(res.error());
    }
    auto email_owner = lookup_id(db, select_user_by_email_sql, demo_email);
    if (!email_owner) {
      return std::move(email_owner.error());
    }
    if (*email_owner != demo_user_id) {
      return make_error(errc::conflict, std::string{demo_email} + " belongs to another tenant");
    }
    if (auto res = db.exec(insert_demo_license_sql, demo_tenant_id, demo_license_id, license_key,
                           demo_seats);
        !res) {
      return std::move(res.error());
    }
    auto key = db.exec(select_license_key_sql, demo_tenant_id, demo_license_id);
    if (!key) {
      return std::move(key.error());
    }
    if (key->rows() == 0) {
      return make_error(errc::internal, "the demo license vanished");
    }
    out.license_key = key->text(0, 0);
    return caf::none;
  });
  if (err) {
    return err;
  }
  return out;
}

} // namespace leasehold::persistence
