#include "persistence/pg_array.hpp"

namespace leasehold::persistence {

void pg_array::separate() {
  if (size_++ > 0) {
    text_ += ',';
  }
}

void pg_array::add(std::string_view element) {
  separate();
  text_ += '"';
  for (auto c : element) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
    }
    text_ += c;
  }
  text_ += '"';
}

void pg_array::add(const pg_param& element) {
  if (element) {
    add(std::string_view{*element});
  } else {
    add_null();
  }
}

void pg_array::add_null() {
  separate();
  text_ += "NULL";
}

std::string pg_array::take() {
  text_ += '}';
  auto result = std::move(text_);
  text_ = "{";
  size_ = 0;
  return result;
}

} // namespace leasehold::persistence
