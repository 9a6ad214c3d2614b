#include "edge/validation.hpp"

#include <cctype>
#include <cstring>

namespace leasehold::edge {

namespace {

constexpr size_t max_local_part_length = 64;
constexpr size_t max_label_length = 63;
constexpr size_t min_slug_length = 2;
constexpr size_t max_slug_length = 63;
constexpr size_t max_product_length = 64;
constexpr size_t max_derived_slug_length = 50;

bool is_alnum(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x80 && std::isalnum(u) != 0;
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// RFC 5322 `atext`: letters, digits and these printable ASCII symbols.
bool is_atext(char c) {
  return is_alnum(c) || (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

// dot-atom-text = 1*atext *("." 1*atext)
bool is_dot_atom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') {
    return false;
  }
  char prev = '\0';
  for (auto c : text) {
    if (c == '.') {
      if (prev == '.') {
        return false;
      }
    } else if (!is_atext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

bool is_domain_label(std::string_view label) {
  if (label.empty() || label.size() > max_label_length || label.front() == '-' ||
      label.back() == '-') {
    return false;
  }
  for (auto c : label) {
    if (!is_alnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_domain(std::string_view text) {
  size_t labels = 0;
  size_t start = 0;
  for (;;) {
    auto dot = text.find('.', start);
    auto label = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!is_domain_label(label)) {
      return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

// Counts UTF-8 code points (continuation bytes 10xxxxxx do not start one).
size_t code_points(std::string_view text) {
  size_t n = 0;
  for (auto c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

} // namespace

caf::optional<std::string> normalize_email(std::string_view text) {
  if (text.empty() || text.size() > max_email_length) {
    return caf::none;
  }
  auto at = text.rfind('@');
  if (at == std::string_view::npos) {
    return caf::none;
  }
  auto local = text.substr(0, at);
  auto domain = text.substr(at + 1);
  if (local.size() > max_local_part_length || !is_dot_atom(local) || !is_domain(domain)) {
    return caf::none;
  }
  std::string out{text};
  for (auto& c : out) {
    c = lower(c);
  }
  return out;
}

bool is_valid_password(std::string_view text) {
  return text.size() <= max_password_length && code_points(text) >= min_password_length;
}

bool is_valid_name(std::string_view text) {
  if (text.size() > max_name_length) {
    return false;
  }
  for (auto c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      return true;
    }
  }
  return false;
}

bool is_valid_slug(std::string_view text) {
  if (text.size() < min_slug_length || text.size() > max_slug_length) {
    return false;
  }
  for (auto c : text) {
    auto ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool is_valid_product(std::string_view text) {
  if (text.empty() || text.size() > max_product_length) {
    return false;
  }
  for (auto c : text) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

caf::optional<std::string> normalize_uuid(std::string_view text) {
  if (text.size() != 36) {
    return caf::none;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return caf::none;
      }
    } else if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
      return caf::none;
    }
    out.push_back(lower(c));
  }
  return out;
}

std::string slug_from_name(std::string_view name) {
  std::string out;
  for (auto c : name) {
    if (out.size() >= max_derived_slug_length) {
      break;
    }
    if (is_alnum(c)) {
      out.push_back(lower(c));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') {
    out.pop_back();
  }
  if (out.size() < min_slug_length) {
    return "tenant";
  }
  return out;
}

} // namespace leasehold::edge
