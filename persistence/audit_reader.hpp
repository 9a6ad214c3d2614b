#pragma once

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/timestamp.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace leasehold::persistence {

/// Asks for one page of a license's audit log.
using audit_page_atom = caf::atom_constant<caf::atom("auditpage")>;

/// Asks whether the database answers (for /ready); CAF's predefined atom.
using ping_atom = caf::ping_atom;

/// One audit log entry as the API shows it. Ids that are absent are "".
struct audit_event {
  int64_t id = 0;
  std::string action;
  std::string session_id;
  std::string user_id;
  std::string hardware_id;
  caf::timestamp at;
  std::string detail_json; // a JSON object
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, audit_event& x) {
  return f(caf::meta::type_name("audit_event"), x.id, x.action, x.session_id, x.user_id,
           x.hardware_id, x.at, x.detail_json);
}

/// A page request: newest first, `limit` events (1..1000) with ids below `before`
/// (0: from the newest).
struct audit_query {
  std::string tenant_id;
  std::string license_id;
  uint32_t limit = 100;
  int64_t before = 0;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, audit_query& x) {
  return f(caf::meta::type_name("audit_query"), x.tenant_id, x.license_id, x.limit, x.before);
}

/// Reads the audit log.
/// - `audit_page_atom`: the page, newest first; `errc::not_found` if the license is not the
///   tenant's, `errc::bad_request` for a limit outside 1..1000, `errc::unavailable` if the
///   database is unreachable.
/// - `ping_atom`: true if the database answers a query now.
using audit_reader_actor =
  caf::typed_actor<caf::replies_to<audit_page_atom, audit_query>::with<std::vector<audit_event>>,
                   caf::replies_to<ping_atom>::with<bool>>;

/// Starts the reader (a detached actor with its own connection, made on first use and
/// remade after a loss).
audit_reader_actor spawn_audit_reader(caf::actor_system& sys, std::string dsn);

} // namespace leasehold::persistence
