#pragma once

#include "persistence/pg.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <string>
#include <vector>

namespace leasehold::persistence {

/// An Ed25519 signing key as stored: its key id and its private key in PEM.
struct stored_signing_key {
  std::string kid;
  std::string private_pem;
};

/// Every key that is not retired, newest first (the first one signs). Blocking: start-up only.
caf::expected<std::vector<stored_signing_key>> load_signing_keys(pg_connection& db);

/// Stores a new key; storing a kid again changes nothing. Blocking: start-up only.
caf::error store_signing_key(pg_connection& db, const stored_signing_key& key);

} // namespace leasehold::persistence
