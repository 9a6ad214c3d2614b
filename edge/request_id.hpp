#pragma once

#include <string>

namespace leasehold::edge {

/// A fresh request id in UUID v4 form. Request ids must be unique, not secret: they come from
/// a per-thread generator seeded by OpenSSL once, so a request costs no call into the CSPRNG.
std::string new_request_id();

} // namespace leasehold::edge
