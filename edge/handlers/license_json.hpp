#pragma once

#include "actors/license.hpp"

#include <caf/timestamp.hpp>

#include <string>
#include <string_view>

namespace leasehold::api::v1 {
class License;
} // namespace leasehold::api::v1

namespace leasehold::edge {

/// Whether a license's key is shown in full (owners, admins, operators) or masked.
enum class key_visibility : bool { masked, full };

/// `key` with every character after its first group replaced by `*`
/// ("LH-ABCDE-FGHJK-..." -> "LH-ABCDE-*****-*****-*****"); hyphens stay.
std::string mask_license_key(std::string_view key);

/// The API's `license` object for `view` as seen at `now`: `status` is `expired` once
/// `expires_at` has passed, `expires_at` is null for a license that never expires, times are
/// RFC 3339 UTC in whole seconds.
void to_proto(const license_view& view, key_visibility keys, caf::timestamp now,
              api::v1::License& out);

/// RFC 3339 UTC text of `t` in whole seconds ("2026-11-21T10:00:00Z").
std::string to_rfc3339(caf::timestamp t);

} // namespace leasehold::edge
