#pragma once

#include <caf/optional.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
} // namespace google::protobuf

namespace leasehold::edge {

/// Deepest nesting of arrays and objects a JSON body may have.
constexpr size_t max_json_depth = 64;

/// Parses `text` strictly into `out` (cleared first). Returns the message of the first
/// problem, none on success.
///
/// The text must be one RFC 8259 JSON object (no comments, trailing commas or invalid
/// UTF-8), no object may repeat a key and nesting stays within max_json_depth: else
/// "malformed JSON". Keys are exact proto field names (no camelCase). Integer fields take
/// integral JSON numbers within the field's range, unsigned ones no negative numbers; float
/// fields numbers; bools true or false; strings and enums (by name) strings; messages and
/// maps objects; repeated fields arrays. null means "not given", except for a
/// google.protobuf.Value, where it is the null value (and a map value, which gets its
/// default). Timestamps are RFC 3339 strings; Struct, Value and ListValue take any JSON of
/// their shape.
caf::optional<std::string> json_to_proto(std::string_view text, google::protobuf::Message& out);

} // namespace leasehold::edge
