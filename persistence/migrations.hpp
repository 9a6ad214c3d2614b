#pragma once

#include "persistence/pg.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <string>
#include <vector>

namespace leasehold::persistence {

/// A file compiled into the binary: its name and its contents.
struct embedded_file {
  const char* name;
  const char* contents;
};

/// The files of persistence/migrations/ (`V<version>__<name>.sql`), generated at build time.
const std::vector<embedded_file>& embedded_migration_files();

/// One schema migration.
struct migration {
  int version = 0;
  std::string name; // the file name
  std::string sql;
};

/// The embedded migrations in version order; an error if a file name has no version or two
/// files share one.
caf::expected<std::vector<migration>> embedded_migrations();

/// Brings the schema up to date: applies every embedded migration that `schema_migrations`
/// does not list yet, in version order, each in its own transaction, under an advisory lock
/// so that nodes starting together do not race. Applying again changes nothing.
caf::error apply_migrations(pg_connection& conn);

/// Applies `migrations` (sorted by version) as `apply_migrations` does; for tests.
caf::error apply_migrations(pg_connection& conn, const std::vector<migration>& migrations);

} // namespace leasehold::persistence
