// parse_body: strict JSON for API bodies (API.md, first section), parsed once by
// json_to_proto.

#include "edge/request_body.hpp"

#include "edge/json_to_proto.hpp"
#include "edge/response.hpp"
#include "edge/response_head.hpp"

#include <boost/beast/core/string.hpp>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

namespace leasehold::edge {

namespace {

namespace pb = google::protobuf;

bool is_json_content_type(const http_request& req) {
  auto i = req.find(http::field::content_type);
  if (i == req.end()) {
    return false;
  }
  auto value = i->value(); // on every request with a body: looked at in place, not copied
  auto media = value.substr(0, value.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.remove_suffix(1);
  }
  return boost::beast::iequals(media, json_content_type);
}

} // namespace

caf::optional<std::string> parse_json_strict(std::string_view body, pb::Message& out) {
  return json_to_proto(body, out);
}

caf::optional<std::string> check_body(const http_request& req, pb::Message& out) {
  if (req.body().empty()) {
    if (out.GetDescriptor()->field_count() == 0) {
      out.Clear();
      return caf::none;
    }
    return std::string{"a JSON body is required"};
  }
  if (!is_json_content_type(req)) {
    return std::string{"Content-Type must be application/json"};
  }
  return parse_json_strict(req.body(), out);
}

bool parse_body(const context_ptr& ctx, pb::Message& out) {
  if (auto err = check_body(ctx->req, out)) {
    reply_error(ctx, errc::bad_request, std::move(*err));
    return false;
  }
  return true;
}

} // namespace leasehold::edge
