#pragma once

#include "edge/request_context.hpp"

#include <string>

namespace leasehold::edge {

/// Appends the status line and header block of `res` (ending with the empty line) to `out`.
/// Beast's generic serializer walks a chain of buffer views per write; for small JSON replies
/// that walk cost more than the send, so the head is written into one reused string and sent
/// together with the body in one gather write.
void append_response_head(const http_response& res, std::string& out);

} // namespace leasehold::edge
