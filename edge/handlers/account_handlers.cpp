#include "edge/handlers/account_handlers.hpp"

#include "edge/validation.hpp"

namespace leasehold::edge::accounts {

caf::optional<std::string> validate_new_account(const context_ptr& ctx, std::string_view email,
                                                std::string_view password, std::string_view name) {
  if (email.empty()) {
    reply_error(ctx, errc::bad_request, "email is required");
    return caf::none;
  }
  auto normalized = normalize_email(email);
  if (!normalized) {
    reply_error(ctx, errc::bad_request, "email is not a valid address");
    return caf::none;
  }
  if (!is_valid_password(password)) {
    reply_error(ctx, errc::bad_request,
                "password must have at least " + std::to_string(min_password_length) +
                  " characters");
    return caf::none;
  }
  if (!is_valid_name(name)) {
    reply_error(ctx, errc::bad_request, "name is required (at most 200 bytes)");
    return caf::none;
  }
  return normalized;
}

} // namespace leasehold::edge::accounts
