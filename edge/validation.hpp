#pragma once

#include <caf/optional.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace leasehold::edge {

/// Longest accepted email address (RFC 5321 path limit).
constexpr size_t max_email_length = 254;

/// Shortest accepted password, in characters (UTF-8 code points).
constexpr size_t min_password_length = 10;

/// Longest accepted password in bytes (keeps hashing cheap to refuse).
constexpr size_t max_password_length = 1024;

/// Longest accepted display name or organization, in bytes.
constexpr size_t max_name_length = 200;

/// The address in lower case if it is acceptable: an RFC 5322 dot-atom local part (at most 64
/// characters), `@`, a domain of at least two dot-separated labels (letters, digits, inner
/// hyphens, 1..63 characters each), at most `max_email_length` characters in all.
caf::optional<std::string> normalize_email(std::string_view text);

/// True if `text` has at least `min_password_length` characters and at most
/// `max_password_length` bytes.
bool is_valid_password(std::string_view text);

/// True if `text` is not blank (something besides spaces) and at most `max_name_length` bytes.
bool is_valid_name(std::string_view text);

/// True if `text` is a tenant slug: 2..63 of lower-case letters, digits and hyphens.
bool is_valid_slug(std::string_view text);

/// True if `text` is a product name: 1..64 of letters, digits, '-', '_' and '.'.
bool is_valid_product(std::string_view text);

/// The UUID in lower case if `text` is one in canonical 8-4-4-4-12 form.
caf::optional<std::string> normalize_uuid(std::string_view text);

/// A slug derived from an organization's name: lower-case ASCII letters and digits, runs of
/// anything else become one hyphen, at most 50 characters (room for a uniqueness suffix);
/// "tenant" if nothing usable is left.
std::string slug_from_name(std::string_view name);

} // namespace leasehold::edge
