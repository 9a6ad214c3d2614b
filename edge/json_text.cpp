#include "edge/json_text.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace leasehold::edge {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// Characters that go out as they are: printable ASCII but '"', '\\', '<' and '>'.
struct plain_table {
  bool plain[256];
  constexpr plain_table() : plain() {
    for (int c = 0x20; c < 0x7f; ++c) {
      plain[c] = c != '"' && c != '\\' && c != '<' && c != '>';
    }
  }
};

constexpr plain_table plain_chars;

bool is_plain(unsigned char c) { return plain_chars.plain[c]; }

void append_unit(uint32_t unit, std::string& out) {
  char text[6] = {'\\',
                  'u',
                  hex_digits[(unit >> 12) & 0xf],
                  hex_digits[(unit >> 8) & 0xf],
                  hex_digits[(unit >> 4) & 0xf],
                  hex_digits[unit & 0xf]};
  out.append(text, sizeof text);
}

// The escape of an ASCII character that needs one.
void append_ascii_escape(unsigned char c, std::string& out) {
  switch (c) {
  case '\b':
    out += "\\b";
    return;
  case '\t':
    out += "\\t";
    return;
  case '\n':
    out += "\\n";
    return;
  case '\f':
    out += "\\f";
    return;
  case '\r':
    out += "\\r";
    return;
  case '"':
    out += "\\\"";
    return;
  case '\\':
    out += "\\\\";
    return;
  }
  append_unit(c, out);
}

// Code points at or above U+00A0 that Protobuf escapes: invisible or format characters that
// have caused trouble in JavaScript.
bool is_escaped_above_latin1(uint32_t cp) {
  return cp == 0xad || (cp >= 0x600 && cp <= 0x603) || cp == 0x6dd || cp == 0x70f || cp == 0x17b4 ||
         cp == 0x17b5 || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) || cp == 0xfeff ||
         (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
         (cp >= 0xe0020 && cp <= 0xe007f);
}

// Decodes the multi-byte sequence at text[i] (text[i] >= 0x80). Returns the bytes it spans
// and sets `cp`, or returns the bytes to drop (as Protobuf does: the lead byte and any
// continuation bytes read up to and including the first bad one) with `cp` = -1.
size_t decode(std::string_view text, size_t i, int64_t& cp) {
  auto lead = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  uint32_t value = 0;
  if (lead <= 0xbf || lead >= 0xf8) {
    cp = -1;
    return 1;
  } else if (lead <= 0xdf) {
    value = lead & 0x1fu;
    length = 2;
  } else if (lead <= 0xef) {
    value = lead & 0x0fu;
    length = 3;
  } else {
    value = lead & 0x07u;
    length = 4;
  }
  size_t read = 1;
  for (; read < length && i + read < text.size(); ++read) {
    auto c = static_cast<unsigned char>(text[i + read]);
    value = (value << 6) | (c & 0x3fu);
    if (c < 0x80 || c > 0xbf) {
      cp = -1;
      return read + 1;
    }
  }
  auto is_surrogate = value >= 0xd800 && value <= 0xdfff;
  cp = read < length || is_surrogate || value > 0x10ffff ? int64_t{-1} : int64_t{value};
  return read;
}

// `digits` significant digits, or `more_digits` if those do not read back as `x` (or if
// `more` says so).
template <class T>
void append_shortest(T x, int digits, int more_digits, bool more, std::string& out) {
  if (std::isnan(x)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(x)) {
    out += x > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  // to_chars with a precision prints as printf's %.*g does, without a locale.
  char text[32];
  auto end = std::to_chars(text, text + sizeof text, x, std::chars_format::general, digits).ptr;
  T back = 0;
  std::from_chars(text, end, back);
  if (more || back != x) {
    end = std::to_chars(text, text + sizeof text, x, std::chars_format::general, more_digits).ptr;
  }
  out.append(text, end);
}

// Writes `x` as `width` digits ending before `end`; returns the new end.
char* put_digits(char* end, int64_t x, int width) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + x % 10);
    x /= 10;
  }
  return end;
}

} // namespace

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    auto run = i;
    while (run < text.size() && is_plain(static_cast<unsigned char>(text[run]))) {
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) {
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      append_ascii_escape(c, out);
      ++i;
      continue;
    }
    int64_t cp = 0;
    auto length = decode(text, i, cp);
    if (cp < 0) {
      // Dropped, as Protobuf does.
    } else if (cp < 0x80) {
      // An overlong encoding of ASCII: Protobuf escapes it like the character itself, or
      // copies the bytes.
      if (is_plain(static_cast<unsigned char>(cp))) {
        out.append(text.data() + i, length);
      } else {
        append_ascii_escape(static_cast<unsigned char>(cp), out);
      }
    } else if (cp < 0xa0 || (cp <= 0xffff && is_escaped_above_latin1(static_cast<uint32_t>(cp)))) {
      append_unit(static_cast<uint32_t>(cp), out);
    } else if (cp > 0xffff && is_escaped_above_latin1(static_cast<uint32_t>(cp))) {
      auto value = static_cast<uint32_t>(cp);
      append_unit((value >> 10) + 0xd7c0, out);
      append_unit((value & 0x3ff) + 0xdc00, out);
    } else {
      out.append(text.data() + i, length);
    }
    i += length;
  }
  out += '"';
}

void append_json_double(double x, std::string& out) { append_shortest(x, 15, 17, false, out); }

void append_json_float(float x, std::string& out) {
  // Protobuf reads the short form back with strtof, which reports an underflow for every
  // subnormal; it then takes the long form.
  auto subnormal = x != 0 && std::fabs(x) < FLT_MIN;
  append_shortest(x, 6, 9, subnormal, out);
}

bool append_json_timestamp(int64_t seconds, int32_t nanos, std::string& out) {
  // TimeUtil::ToString would do (and is what the tests compare with), but it formats with
  // printf and costs more than the rest of a typical response.
  constexpr int64_t min_seconds = -62'135'596'800; // 0001-01-01T00:00:00Z
  constexpr int64_t max_seconds = 253'402'300'799; // 9999-12-31T23:59:59Z
  if (seconds < min_seconds || seconds > max_seconds || nanos < 0 || nanos > 999'999'999) {
    return false;
  }
  constexpr int64_t day = 86'400;
  auto days = seconds / day;
  auto time = seconds % day;
  if (time < 0) {
    time += day;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian).
  auto z = days + 719'468;
  auto era = (z >= 0 ? z : z - 146'096) / 146'097;
  auto doe = z - era * 146'097;                                       // [0, 146096]
  auto yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365; // [0, 399]
  auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 // [0, 365]
  auto mp = (5 * doy + 2) / 153;                                      // [0, 11], March first
  auto day_of_month = doy - (153 * mp + 2) / 5 + 1;
  auto month = mp < 10 ? mp + 3 : mp - 9;
  auto year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // "YYYY-MM-DDTHH:MM:SS" plus up to ".nnnnnnnnn" and "Z", quoted.
  char text[32];
  auto* end = text + sizeof text;
  auto* p = end;
  *--p = '"';
  *--p = 'Z';
  if (nanos != 0) {
    // As Protobuf: 3, 6 or 9 digits, whichever shows every non-zero digit.
    if (nanos % 1'000'000 == 0) {
      p = put_digits(p, nanos / 1'000'000, 3);
    } else if (nanos % 1'000 == 0) {
      p = put_digits(p, nanos / 1'000, 6);
    } else {
      p = put_digits(p, nanos, 9);
    }
    *--p = '.';
  }
  p = put_digits(p, time % 60, 2);
  *--p = ':';
  p = put_digits(p, time / 60 % 60, 2);
  *--p = ':';
  p = put_digits(p, time / 3600, 2);
  *--p = 'T';
  p = put_digits(p, day_of_month, 2);
  *--p = '-';
  p = put_digits(p, month, 2);
  *--p = '-';
  p = put_digits(p, year, 4);
  *--p = '"';
  out.append(p, end);
  return true;
}

json_object_writer::json_object_writer(std::string& out) : out_(out) { out_ += '{'; }

std::string& json_object_writer::member(std::string_view name) {
  if (!empty_) {
    out_ += ',';
  }
  empty_ = false;
  append_json_string(name, out_);
  out_ += ':';
  return out_;
}

void json_object_writer::close() { out_ += '}'; }

void append_json_flags(const std::map<std::string, bool>& flags, std::string& out) {
  json_object_writer object{out};
  for (auto& [name, value] : flags) {
    object.member(name) += value ? "true" : "false";
  }
  object.close();
}

} // namespace leasehold::edge
