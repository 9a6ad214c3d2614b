#include "edge/response_head.hpp"

#include <boost/beast/core/string.hpp>

#include <charconv>

namespace leasehold::edge {

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name.data(), name.size());
  out += ": ";
  out.append(value.data(), value.size());
  out += "\r\n";
}

// `n` in decimal, in `digits` (large enough for any size_t).
std::string_view decimal(char (&digits)[24], size_t n) {
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), n);
  static_cast<void>(ec); // any size_t fits
  return {digits, static_cast<size_t>(end - digits)};
}

// RFC 9110 §8.6: these answers have no content, so they carry no Content-Length.
bool may_have_content(const http_response& res) {
  auto code = res.result_int();
  return code >= 200 && code != 204 && code != 304;
}

} // namespace

void append_response_head(const http_response& res, std::string_view request_id, std::string& out) {
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char digits[24];
  out += decimal(digits, res.result_int());
  out += ' ';
  auto reason = res.reason();
  out.append(reason.data(), reason.size());
  out += "\r\n";
  auto has_type = false;
  auto has_id = false;
  auto has_length = false;
  for (const auto& field : res) {
    auto name = field.name_string();
    switch (field.name()) {
    case http::field::content_type:
      has_type = true;
      break;
    case http::field::content_length:
      has_length = true;
      break;
    case http::field::unknown:
      has_id = has_id || boost::beast::iequals(name, request_id_header);
      break;
    default:
      break;
    }
    append_field(out, {name.data(), name.size()}, {field.value().data(), field.value().size()});
  }
  if (!has_type) {
    append_field(out, "Content-Type", json_content_type);
  }
  if (!has_id) {
    append_field(out, request_id_header, request_id);
  }
  if (!has_length && may_have_content(res)) {
    append_field(out, "Content-Length", decimal(digits, res.body().size()));
  }
  out += "\r\n";
}

} // namespace leasehold::edge
