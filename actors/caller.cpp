#include "actors/caller.hpp"

namespace leasehold {

namespace {
constexpr const char* role_names[] = {"", "guest", "member", "admin", "owner"};
} // namespace

const char* to_string(role x) { return role_names[static_cast<size_t>(x)]; }

bool from_string(const std::string& text, role& x) {
  for (size_t i = 1; i < std::size(role_names); ++i) {
    if (text == role_names[i]) {
      x = static_cast<role>(i);
      return true;
    }
  }
  return false;
}

} // namespace leasehold
