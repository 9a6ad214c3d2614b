#include "edge/response_head.hpp"

#include <charconv>

namespace leasehold::edge {

void append_response_head(const http_response& res, std::string& out) {
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[8];
  auto [end, ec] = std::to_chars(code, code + sizeof(code), res.result_int());
  static_cast<void>(ec); // three digits always fit
  out.append(code, end);
  out += ' ';
  auto reason = res.reason();
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& field : res) {
    auto name = field.name_string();
    auto value = field.value();
    out.append(name.data(), name.size());
    out += ": ";
    out.append(value.data(), value.size());
    out += "\r\n";
  }
  out += "\r\n";
}

} // namespace leasehold::edge
