#pragma once

#include <string_view>

namespace leasehold::edge {

/// True if `text` is one JSON value by RFC 8259 (Boost.JSON's parser, no extensions), no
/// object repeats a key, and nesting stays within `max_depth`. Protobuf's JSON parser runs
/// after this check: on its own it also takes single-quoted strings and other relaxed forms.
bool is_strict_json(std::string_view text, size_t max_depth = 64);

} // namespace leasehold::edge
