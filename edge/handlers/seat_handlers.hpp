#pragma once

// Internals of the seat routes: one handler per endpoint and the codecs they share.

#include "actors/seat_messages.hpp"
#include "actors/session.hpp"
#include "actors/uuid.hpp"
#include "edge/actor_bridge.hpp"
#include "edge/services.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/timestamp.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace google::protobuf {
class Timestamp;
} // namespace google::protobuf

namespace leasehold::api::v1 {
class LeaseResponse;
class Session;
} // namespace leasehold::api::v1

namespace leasehold::edge::seats {

/// Longest `wait_seconds` an acquire may ask for (API.md).
constexpr uint32_t max_wait_seconds = 60;

/// Time an acquire may take beyond its `wait_seconds` (the grant's commit) before the edge
/// gives up with `request_timeout`.
constexpr std::chrono::seconds acquire_margin{15};

/// Longest client-chosen text (hardware id, hostname, os, version) an acquire accepts.
constexpr size_t max_text_bytes = 256;

/// Largest audit page a client may ask for, and the page size when it does not ask.
constexpr uint32_t max_audit_limit = 1000;
constexpr uint32_t default_audit_limit = 100;

void handle_acquire(services& svc, const context_ptr& ctx);
void handle_heartbeat(services& svc, const context_ptr& ctx);
void handle_release(services& svc, const context_ptr& ctx);
void handle_list_sessions(services& svc, const context_ptr& ctx);
void handle_revoke_session(services& svc, const context_ptr& ctx);
void handle_audit(services& svc, const context_ptr& ctx);

/// `text` in lower case (ids are stored and compared in lower case).
std::string to_lower(std::string text);

/// Writes `t`, truncated to whole seconds, into `out` (RFC 3339 in JSON).
void to_proto(caf::timestamp t, google::protobuf::Timestamp& out);

/// The API's lease response for `l`, carrying `lease_token`.
void to_proto(const lease& l, std::string lease_token, api::v1::LeaseResponse& out);

/// The API's session object for `x`.
void to_proto(const session_record& x, api::v1::Session& out);

} // namespace leasehold::edge::seats
