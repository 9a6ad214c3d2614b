#pragma once

#include "edge/request_context.hpp"

#include <string>
#include <string_view>

namespace leasehold::edge {

/// The header that names a request in its answer, its logs and its error body.
inline constexpr std::string_view request_id_header = "X-Request-ID";
/// The Content-Type of every answer that does not name its own.
inline constexpr std::string_view json_content_type = "application/json";

/// Appends the status line and header block of `res` (ending with the empty line) to `out`,
/// adding what every answer carries unless `res` has it: Content-Type (JSON), X-Request-ID
/// (`request_id`) and Content-Length (the body's size). Beast's generic serializer walks a
/// chain of buffer views per write, and setting those three fields on `res` would allocate
/// each; for small JSON replies both cost more than the send. So the head is written into one
/// reused string and sent together with the body in one gather write.
void append_response_head(const http_response& res, std::string_view request_id, std::string& out);

} // namespace leasehold::edge
