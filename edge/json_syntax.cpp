#include "edge/json_syntax.hpp"

// Boost.JSON is used header-only: this is the one translation unit that compiles it.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/src.hpp>

#include <set>
#include <string>
#include <vector>

namespace leasehold::edge {

namespace {

using boost::json::error_code;
using boost::json::string_view;

/// Parser events: only keys matter (a repeated key is refused), everything else is accepted
/// as the parser reports it.
struct duplicate_key_check {
  constexpr static size_t max_object_size = static_cast<size_t>(-1);
  constexpr static size_t max_array_size = static_cast<size_t>(-1);
  constexpr static size_t max_key_size = static_cast<size_t>(-1);
  constexpr static size_t max_string_size = static_cast<size_t>(-1);

  std::vector<std::set<std::string>> objects; // keys seen, one set per open object
  std::string key;                            // the key being read (it may come in parts)

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(size_t, error_code&) {
    objects.pop_back();
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(size_t, error_code&) { return true; }
  bool on_key_part(string_view part, size_t, error_code&) {
    key.append(part.data(), part.size());
    return true;
  }
  bool on_key(string_view part, size_t, error_code& ec) {
    key.append(part.data(), part.size());
    auto fresh = objects.back().insert(std::move(key)).second;
    key.clear();
    if (!fresh) {
      ec = boost::json::error::syntax;
    }
    return fresh;
  }
  bool on_string_part(string_view, size_t, error_code&) { return true; }
  bool on_string(string_view, size_t, error_code&) { return true; }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(int64_t, string_view, error_code&) { return true; }
  bool on_uint64(uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return false; }
  bool on_comment(string_view, error_code&) { return false; }
};

} // namespace

bool is_strict_json(std::string_view text, size_t max_depth) {
  boost::json::parse_options opts; // RFC 8259: no comments, no trailing commas, no bad UTF-8
  opts.max_depth = max_depth;
  boost::json::basic_parser<duplicate_key_check> parser{opts};
  error_code ec;
  auto used = parser.write_some(false, text.data(), text.size(), ec);
  return !ec && used == text.size() && parser.done();
}

} // namespace leasehold::edge
