#pragma once

#include "persistence/pg.hpp"

#include <string>
#include <string_view>

namespace leasehold::persistence {

/// Builds one array parameter in PostgreSQL's text form (`{"a","b",NULL}`) so that a batch of
/// rows goes to the server as a few `unnest($n::type[])` parameters instead of one statement
/// per row. Every element is quoted, so any text (commas, quotes, braces) survives.
class pg_array {
public:
  void add(std::string_view element);
  void add(const pg_param& element);
  void add_null();

  size_t size() const { return size_; }

  /// The array literal; the builder is empty afterwards.
  std::string take();

private:
  void separate();

  std::string text_ = "{";
  size_t size_ = 0;
};

} // namespace leasehold::persistence
