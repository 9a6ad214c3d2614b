#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace leasehold::edge {

/// Appends `text` as a quoted JSON string escaped as Protobuf's JSON printer escapes it:
/// control characters, '"', '\\', '<', '>', DEL, the C1 controls and a few invisible or
/// format code points (U+2028, U+FEFF, ...) as \uXXXX; invalid UTF-8 sequences are dropped.
void append_json_string(std::string_view text, std::string& out);

/// Appends `x` as Protobuf's JSON printer writes doubles: 15 significant digits, or 17 when
/// 15 do not read back as `x`; NaN and infinities as the strings "NaN", "Infinity",
/// "-Infinity".
void append_json_double(double x, std::string& out);

/// Appends `x` like append_json_double, with 6 or 9 significant digits.
void append_json_float(float x, std::string& out);

/// Appends the time `seconds` + `nanos` after the Unix epoch as Protobuf's JSON printer
/// writes a google.protobuf.Timestamp: a quoted RFC 3339 UTC time with 0, 3, 6 or 9
/// fraction digits ("2026-11-21T10:00:00.120Z"). Returns false, appending nothing, for a time
/// outside the years 1..9999 or nanos outside 0..999999999.
bool append_json_timestamp(int64_t seconds, int32_t nanos, std::string& out);

/// Writes one JSON object into `out` member by member: `member` appends the separator and the
/// quoted name and returns `out` for the caller to append the value; `close` ends the object.
class json_object_writer {
public:
  explicit json_object_writer(std::string& out);

  std::string& member(std::string_view name);

  void close();

private:
  std::string& out_;
  bool empty_ = true;
};

/// Appends `flags` as a JSON object of booleans in key order (`{"beta":false,"export":true}`).
void append_json_flags(const std::map<std::string, bool>& flags, std::string& out);

} // namespace leasehold::edge
