#pragma once

#include <caf/expected.hpp>

#include <map>
#include <string>

namespace leasehold::persistence {

/// A JSON object with string values (an audit event's `detail`); keys and values are escaped
/// as Protobuf's JSON printer escapes them (see edge/json_text.hpp).
std::string to_json_object(const std::map<std::string, std::string>& fields);

/// A JSON object with boolean values (a license's `features`).
std::string to_json_object(const std::map<std::string, bool>& fields);

/// Parses a JSON object of booleans (what `to_json_object` writes for features); fields of
/// other types are skipped. An error if `json` is not an object.
caf::expected<std::map<std::string, bool>> parse_json_flags(const std::string& json);

} // namespace leasehold::persistence
