#include "persistence/signing_keys.hpp"

#include <utility>

namespace leasehold::persistence {

namespace {

constexpr const char* select_keys_sql =
  "SELECT kid, private_pem FROM signing_keys WHERE retired_at IS NULL "
  "ORDER BY created_at DESC, kid";

constexpr const char* insert_key_sql =
  "INSERT INTO signing_keys (kid, private_pem) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING";

} // namespace

caf::expected<std::vector<stored_signing_key>> load_signing_keys(pg_connection& db) {
  auto res = db.exec(select_keys_sql);
  if (!res) {
    return std::move(res.error());
  }
  std::vector<stored_signing_key> keys;
  for (int row = 0; row < res->rows(); ++row) {
    keys.push_back(stored_signing_key{res->text(row, 0), res->text(row, 1)});
  }
  return keys;
}

caf::error store_signing_key(pg_connection& db, const stored_signing_key& key) {
  auto res = db.exec(insert_key_sql, key.kid, key.private_pem);
  if (!res) {
    return std::move(res.error());
  }
  return caf::none;
}

} // namespace leasehold::persistence
