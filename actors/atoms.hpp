#pragma once

#include <caf/atom.hpp>

namespace leasehold {

// Message tags of the domain (10 characters at most; the text is the identity across nodes).
// Names avoid CAF's predefined atoms (`get_atom`, `tick_atom`, ...).

using acquire_atom = caf::atom_constant<caf::atom("acquire")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using release_atom = caf::atom_constant<caf::atom("release")>;
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
using list_sessions_atom = caf::atom_constant<caf::atom("lsessions")>;
using list_licenses_atom = caf::atom_constant<caf::atom("llicenses")>;
using add_license_atom = caf::atom_constant<caf::atom("addlicense")>;
using patch_license_atom = caf::atom_constant<caf::atom("patchlic")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using wait_timeout_atom = caf::atom_constant<caf::atom("waittmo")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using load_atom = caf::atom_constant<caf::atom("load")>;
using commit_atom = caf::atom_constant<caf::atom("commit")>;
using note_atom = caf::atom_constant<caf::atom("note")>;
using flush_atom = caf::atom_constant<caf::atom("flushrec")>;
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;
using idle_check_atom = caf::atom_constant<caf::atom("idlecheck")>;
using idle_atom = caf::atom_constant<caf::atom("idle")>;

constexpr auto acquire_atom_v = acquire_atom::value;
constexpr auto heartbeat_atom_v = heartbeat_atom::value;
constexpr auto release_atom_v = release_atom::value;
constexpr auto revoke_atom_v = revoke_atom::value;
constexpr auto list_sessions_atom_v = list_sessions_atom::value;
constexpr auto list_licenses_atom_v = list_licenses_atom::value;
constexpr auto add_license_atom_v = add_license_atom::value;
constexpr auto patch_license_atom_v = patch_license_atom::value;
constexpr auto expire_atom_v = expire_atom::value;
constexpr auto wait_timeout_atom_v = wait_timeout_atom::value;
constexpr auto stats_atom_v = stats_atom::value;
constexpr auto load_atom_v = load_atom::value;
constexpr auto commit_atom_v = commit_atom::value;
constexpr auto note_atom_v = note_atom::value;
constexpr auto flush_atom_v = flush_atom::value;
constexpr auto passivate_atom_v = passivate_atom::value;
constexpr auto idle_check_atom_v = idle_check_atom::value;
constexpr auto idle_atom_v = idle_atom::value;

} // namespace leasehold
