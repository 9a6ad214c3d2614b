// Acquire, heartbeat and release: the calls a licensed application makes.

#include "actors/atoms.hpp"
#include "edge/crypto/token_service.hpp"
#include "edge/handlers/seat_handlers.hpp"

#include "leasehold/api/v1/seats.pb.h"

namespace leasehold::edge::seats {

namespace {

// Optional client texts are bounded so that a session row stays small.
bool check_text(const context_ptr& ctx, const char* name, const std::string& value) {
  if (value.size() > max_text_bytes) {
    reply_error(ctx, errc::bad_request,
                std::string{name} + " is longer than " + std::to_string(max_text_bytes) + " bytes");
    return false;
  }
  return true;
}

// The session id of a heartbeat or release body, or none after answering. An id that is not
// a UUID cannot name a session: it answers like any unknown session (404 session_not_found).
caf::optional<std::string> session_id_of(const context_ptr& ctx) {
  api::v1::SessionRef body;
  if (!parse_body(ctx, body)) {
    return caf::none;
  }
  if (body.session_id().empty()) {
    reply_error(ctx, errc::bad_request, "session_id is required");
    return caf::none;
  }
  if (!is_uuid(body.session_id())) {
    reply_error(ctx, errc::session_not_found, "session not found");
    return caf::none;
  }
  return to_lower(std::move(*body.mutable_session_id()));
}

} // namespace

void handle_acquire(services& svc, const context_ptr& ctx) {
  api::v1::AcquireRequest body;
  if (!parse_body(ctx, body)) {
    return;
  }
  if (body.hardware_id().empty()) {
    return reply_error(ctx, errc::bad_request, "hardware_id is required");
  }
  if (!check_text(ctx, "hardware_id", body.hardware_id()) ||
      !check_text(ctx, "hostname", body.hostname()) || !check_text(ctx, "os", body.os()) ||
      !check_text(ctx, "version", body.version()) || !check_text(ctx, "product", body.product())) {
    return;
  }
  if (body.wait_seconds() > max_wait_seconds) {
    return reply_error(ctx, errc::bad_request, "wait_seconds must be between 0 and 60");
  }
  if (!body.license_id().empty() && !is_uuid(body.license_id())) {
    // Not an id of any license, so not one of the caller's either.
    return reply_error(ctx, errc::not_found, "license not found");
  }
  acquire_request req;
  req.who = ctx->auth->who;
  req.license_id = to_lower(std::move(*body.mutable_license_id()));
  req.product = body.product();
  req.hardware_id = body.hardware_id();
  req.hostname = body.hostname();
  req.os = body.os();
  req.version = body.version();
  req.wait_seconds = body.wait_seconds();
  // A waiting acquire is answered by the tenant when a seat frees or its wait ends: the
  // request must not time out before that.
  caf::timespan timeout = std::chrono::seconds{req.wait_seconds} + acquire_margin;
  auto* tokens = &svc.tokens;
  svc.bridge.ask_routed<lease>(
    timeout, ctx, ctx->auth->who.tenant_id, svc.tenants,
    [ctx, tokens](lease& granted) {
      api::v1::LeaseResponse out;
      to_proto(granted, tokens->issue_lease_token(granted), out);
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), acquire_atom_v, std::move(req));
}

void handle_heartbeat(services& svc, const context_ptr& ctx) {
  auto id = session_id_of(ctx);
  if (!id) {
    return;
  }
  svc.bridge.ask_routed<heartbeat_ack>(
    svc.bridge.timeout(), ctx, ctx->auth->who.tenant_id, svc.tenants,
    [ctx](heartbeat_ack& ack) {
      api::v1::HeartbeatResponse out;
      out.set_status("ok");
      to_proto(ack.expires_at, *out.mutable_expires_at());
      out.set_expires_in(ack.expires_in);
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), heartbeat_atom_v, session_request{ctx->auth->who, std::move(*id)});
}

void handle_release(services& svc, const context_ptr& ctx) {
  auto id = session_id_of(ctx);
  if (!id) {
    return;
  }
  svc.bridge.ask_routed<caf::ok_atom>(
    svc.bridge.timeout(), ctx, ctx->auth->who.tenant_id, svc.tenants,
    [ctx](caf::ok_atom) {
      api::v1::ReleaseResponse out;
      out.set_status("released");
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), release_atom_v, session_request{ctx->auth->who, std::move(*id)});
}

} // namespace leasehold::edge::seats
