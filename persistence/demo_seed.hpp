#pragma once

#include "persistence/pg.hpp"

#include <caf/expected.hpp>

#include <string>

namespace leasehold::persistence {

/// The demo account of `serve --demo` (documented; never use it in production).
constexpr const char* demo_email = "demo@leasehold.dev";
constexpr const char* demo_password = "leasehold-demo-2026";
constexpr const char* demo_tenant_name = "Demo Org";
constexpr const char* demo_tenant_slug = "demo-org";
constexpr const char* demo_tenant_id = "00000000-0000-4000-8000-00000000de01";
constexpr const char* demo_user_id = "00000000-0000-4000-8000-00000000de02";
constexpr const char* demo_license_id = "00000000-0000-4000-8000-00000000de03";
constexpr uint32_t demo_seats = 5;

/// What the demo seed created or found.
struct demo_account {
  std::string email;
  std::string password;
  std::string tenant_id;
  std::string user_id;
  std::string license_id;
  std::string license_key; // the stored key (the one given on the first seed)
};

/// Creates, unless they exist, the tenant "Demo Org", its owner `demo_email` and a 5-seat `pro`
/// license for product `default`, in one transaction. `password_hash` must be the scrypt hash
/// of `demo_password`, `license_key` a fresh key; both are only used for rows that are new.
/// `errc::conflict` if the demo email or slug belongs to another tenant. Blocking: start-up only.
caf::expected<demo_account> seed_demo(pg_connection& db, const std::string& password_hash,
                                      const std::string& license_key);

} // namespace leasehold::persistence
