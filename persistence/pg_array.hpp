#pragma once

#include <caf/timestamp.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace leasehold::persistence {

/// Element types of array parameters, by their PostgreSQL type OIDs (the binary format names
/// the element type, and the server checks it against the parameter's).
enum class pg_type : uint32_t {
  boolean = 16,
  int4 = 23,
  text = 25,
  timestamptz = 1184,
  uuid = 2950,
  jsonb = 3802,
};

/// One array element: NULL; text (for text, jsonb and, in canonical form, uuid elements),
/// borrowed or owned; a time; an integer; a boolean.
using pg_value =
  std::variant<std::monostate, std::string_view, std::string, caf::timestamp, int64_t, bool>;

/// Builds one array parameter in PostgreSQL's binary format, so that a batch of rows goes to
/// the server as a few `unnest($n::type[])` parameters instead of one statement per row, and
/// the server parses no text: UUIDs go as 16 bytes, times as microseconds.
class pg_array {
public:
  explicit pg_array(pg_type element) : element_(element) {
    // nop
  }

  /// Appends `x`, which must suit the element type (see pg_value). Text that is no canonical
  /// UUID in a uuid array is passed on as it is, for the server to refuse the statement.
  void add(const pg_value& x);

  size_t size() const { return size_; }

  /// The array parameter (send it with format 1, binary); the builder is empty afterwards.
  std::string take();

private:
  void add_text(std::string_view x);
  void add_timestamp(caf::timestamp x);
  void add_integer(int64_t x);
  void add_boolean(bool x);

  pg_type element_;
  std::string elements_; // each: length (-1 for NULL), then the value's bytes
  size_t size_ = 0;
  bool has_null_ = false;
};

} // namespace leasehold::persistence
