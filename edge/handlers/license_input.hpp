#pragma once

#include "actors/license.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/timestamp.hpp>

#include <cstdint>
#include <string>

namespace leasehold::api::v1 {
class CreateLicenseRequest;
class PatchLicenseRequest;
} // namespace leasehold::api::v1

namespace leasehold::edge {

/// Upper bounds of operator input (sanity limits; the API names only the lower ones).
constexpr int64_t max_license_seats = 1'000'000;
constexpr int64_t max_session_ttl = 30 * 24 * 3600;    // 30 days
constexpr int64_t max_offline_grace = 366 * 24 * 3600; // a year
constexpr int64_t max_license_devices = 1'000'000;
constexpr size_t max_feature_name_length = 64;

/// The terms an operator asks for (POST /api/v1/admin/tenants/{id}/licenses) with the API's
/// defaults, for `tenant_id`, created at `now`; id and key are left empty for the caller.
/// `errc::bad_request` with a message naming the first bad field.
caf::expected<license_terms> terms_from_request(const api::v1::CreateLicenseRequest& req,
                                                const std::string& tenant_id, caf::timestamp now);

/// The changes an operator asks for (PATCH /api/v1/admin/licenses/{id}); tenant and license id
/// are left empty for the caller. `errc::bad_request` naming the first bad field.
caf::expected<license_patch> patch_from_request(const api::v1::PatchLicenseRequest& req);

/// `errc::bad_request` unless session_ttl >= 2 and 1 <= heartbeat_interval < session_ttl.
caf::error check_timing(const license_terms& terms);

/// True if `patch` changes nothing.
bool is_empty(const license_patch& patch);

} // namespace leasehold::edge
