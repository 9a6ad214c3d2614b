#pragma once

#include <caf/optional.hpp>

#include <string>

namespace google::protobuf {
class Message;
} // namespace google::protobuf

namespace leasehold::edge {

/// Appends the JSON of `msg` to `out`: what Protobuf's MessageToJsonString writes with
/// preserve_proto_field_names and always_print_primitive_fields (proto field names; scalars,
/// repeated fields and maps always, fields with presence only when set; 64-bit integers as
/// strings; enums by name; Timestamp as RFC 3339; Struct, Value, ListValue as plain JSON;
/// the same string escapes and number digits), with members in field-number order and map
/// and Struct keys sorted. Returns what could not be written (a Timestamp outside the years
/// 1..9999, bytes or a well-known type the API does not use), leaving `out` partly written.
caf::optional<std::string> append_json(const google::protobuf::Message& msg, std::string& out);

} // namespace leasehold::edge
