// A license's audit log, newest first, in pages.

#include "actors/atoms.hpp"
#include "edge/handlers/seat_handlers.hpp"

#include "leasehold/api/v1/seats.pb.h"
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

namespace leasehold::edge::seats {

namespace {

// A decimal query parameter in [min, max]; none if it is anything else.
template <class T> caf::optional<T> parse_number(const std::string& text, T min, T max) {
  T value{};
  auto first = text.data();
  auto last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, value);
  if (text.empty() || ec != std::errc{} || end != last || value < min || value > max) {
    return caf::none;
  }
  return value;
}

void to_proto(const persistence::audit_event& x, api::v1::AuditEvent& out) {
  out.set_id(x.id);
  out.set_action(x.action);
  out.set_session_id(x.session_id);
  out.set_user_id(x.user_id);
  out.set_hardware_id(x.hardware_id);
  seats::to_proto(x.at, *out.mutable_at());
  // `detail` is a jsonb object in the record; anything else shows as an empty object.
  if (!x.detail_json.empty()) {
    auto status = google::protobuf::util::JsonStringToMessage(x.detail_json, out.mutable_detail());
    if (!status.ok()) {
      out.mutable_detail()->Clear();
    }
  }
  out.mutable_detail(); // present even when empty: `"detail": {}`
}

} // namespace

void handle_audit(services& svc, const context_ptr& ctx) {
  const auto& who = ctx->auth->who;
  // The audit log shows every user's machines: a management view.
  if (!is_manager(who.user_role)) {
    return reply_error(ctx, errc::forbidden, "only owners and admins may read the audit log");
  }
  const auto& license_id = ctx->path_params["id"];
  if (!is_uuid(license_id)) {
    return reply_error(ctx, errc::not_found, "license not found");
  }
  persistence::audit_query query;
  query.tenant_id = who.tenant_id;
  query.license_id = to_lower(license_id);
  query.limit = default_audit_limit;
  query.before = 0;
  if (auto i = ctx->query.find("limit"); i != ctx->query.end()) {
    auto limit = parse_number<uint32_t>(i->second, 1, max_audit_limit);
    if (!limit) {
      return reply_error(ctx, errc::bad_request, "limit must be an integer from 1 to 1000");
    }
    query.limit = *limit;
  }
  if (auto i = ctx->query.find("before"); i != ctx->query.end()) {
    auto before = parse_number<int64_t>(i->second, 1, std::numeric_limits<int64_t>::max());
    if (!before) {
      return reply_error(ctx, errc::bad_request, "before must be an event id");
    }
    query.before = *before;
  }
  auto limit = query.limit;
  // One event more than asked tells whether another page follows. The reader serves at most
  // max_audit_limit events, so a full page of that size always offers a next page.
  query.limit = std::min(limit + 1, max_audit_limit);
  auto peeks = query.limit > limit;
  svc.bridge.ask<std::vector<persistence::audit_event>>(
    ctx, svc.audit,
    [ctx, limit, peeks](std::vector<persistence::audit_event>& events) {
      api::v1::AuditPage out;
      bool more = peeks ? events.size() > limit : events.size() == limit;
      if (events.size() > limit) {
        events.resize(limit);
      }
      for (const auto& x : events) {
        to_proto(x, *out.add_events());
      }
      if (more) {
        out.mutable_next_before()->set_string_value(std::to_string(events.back().id));
      } else {
        out.mutable_next_before()->set_null_value(google::protobuf::NULL_VALUE);
      }
      reply_json(ctx, http::status::ok, out);
    },
    reply_error_to(ctx), persistence::audit_page_atom::value, std::move(query));
}

} // namespace leasehold::edge::seats
