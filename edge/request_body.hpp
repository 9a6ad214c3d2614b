#pragma once

#include "edge/request_context.hpp"

#include <caf/optional.hpp>

#include <string>
#include <string_view>

namespace leasehold::edge {

/// Parses `body` strictly into `out`: a JSON object whose keys are exactly field names of
/// `out`'s message (recursively for nested messages and map values), numbers as JSON numbers,
/// strings as JSON strings; the rules in full at json_to_proto. Returns the message of the
/// first problem, none on success.
caf::optional<std::string> parse_json_strict(std::string_view body, google::protobuf::Message& out);

/// parse_json_strict plus the HTTP rules: a JSON Content-Type, and an empty body only for
/// messages without fields.
caf::optional<std::string> check_body(const http_request& req, google::protobuf::Message& out);

} // namespace leasehold::edge
