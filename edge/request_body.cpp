// parse_body: strict JSON for API bodies (API.md, first section).
//
// Protobuf's own JSON parser is lenient where the API is strict: it accepts camelCase names
// and quoted numbers. So the body is parsed twice: first into a generic
// google::protobuf::Value, which is walked against the target's descriptor (exact field
// names, JSON types), then into the target with unknown fields rejected.

#include "edge/request_body.hpp"

#include "edge/json_syntax.hpp"
#include "edge/response.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <cmath>
#include <set>

namespace leasehold::edge {

namespace {

namespace pb = google::protobuf;
using field_type = pb::FieldDescriptor::CppType;

std::string join(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

bool is_well_known(const pb::Descriptor* d) {
  return d->file()->name().rfind("google/protobuf/", 0) == 0;
}

caf::optional<std::string> check_message(const pb::Value& value, const pb::Descriptor* d,
                                         const std::string& path);

// Checks one JSON value against a singular field type (element type for repeated fields,
// value type for maps).
caf::optional<std::string> check_value(const pb::Value& value, const pb::FieldDescriptor* f,
                                       const std::string& path) {
  auto kind = value.kind_case();
  if (kind == pb::Value::kNullValue) {
    return caf::none; // null = not given
  }
  switch (f->cpp_type()) {
  case field_type::CPPTYPE_INT32:
  case field_type::CPPTYPE_INT64:
  case field_type::CPPTYPE_UINT32:
  case field_type::CPPTYPE_UINT64: {
    if (kind != pb::Value::kNumberValue) {
      return "field '" + path + "' must be a number";
    }
    auto x = value.number_value();
    if (std::floor(x) != x) {
      return "field '" + path + "' must be an integer";
    }
    auto is_unsigned =
      f->cpp_type() == field_type::CPPTYPE_UINT32 || f->cpp_type() == field_type::CPPTYPE_UINT64;
    if (is_unsigned && x < 0) {
      return "field '" + path + "' must not be negative";
    }
    return caf::none;
  }
  case field_type::CPPTYPE_DOUBLE:
  case field_type::CPPTYPE_FLOAT:
    if (kind != pb::Value::kNumberValue) {
      return "field '" + path + "' must be a number";
    }
    return caf::none;
  case field_type::CPPTYPE_BOOL:
    if (kind != pb::Value::kBoolValue) {
      return "field '" + path + "' must be true or false";
    }
    return caf::none;
  case field_type::CPPTYPE_STRING:
  case field_type::CPPTYPE_ENUM:
    if (kind != pb::Value::kStringValue) {
      return "field '" + path + "' must be a string";
    }
    return caf::none;
  case field_type::CPPTYPE_MESSAGE: {
    auto* d = f->message_type();
    if (is_well_known(d)) {
      // Timestamps are strings, Struct/Value anything, wrappers their wrapped type; the
      // second parse checks their contents.
      if (d->full_name() == "google.protobuf.Timestamp" ||
          d->full_name() == "google.protobuf.Duration" ||
          d->full_name() == "google.protobuf.StringValue") {
        if (kind != pb::Value::kStringValue) {
          return "field '" + path + "' must be a string";
        }
      } else if (d->full_name() == "google.protobuf.BoolValue") {
        if (kind != pb::Value::kBoolValue) {
          return "field '" + path + "' must be true or false";
        }
      } else if (d->full_name() == "google.protobuf.Struct") {
        if (kind != pb::Value::kStructValue) {
          return "field '" + path + "' must be an object";
        }
      } else if (d->full_name() != "google.protobuf.Value" &&
                 d->full_name() != "google.protobuf.ListValue") {
        // Int32Value, UInt32Value, DoubleValue, ...: numbers.
        if (kind != pb::Value::kNumberValue) {
          return "field '" + path + "' must be a number";
        }
      }
      return caf::none;
    }
    return check_message(value, d, path);
  }
  }
  return caf::none;
}

caf::optional<std::string> check_field(const pb::Value& value, const pb::FieldDescriptor* f,
                                       const std::string& path) {
  if (value.kind_case() == pb::Value::kNullValue) {
    return caf::none;
  }
  if (f->is_map()) {
    if (value.kind_case() != pb::Value::kStructValue) {
      return "field '" + path + "' must be an object";
    }
    auto* value_field = f->message_type()->FindFieldByName("value");
    for (const auto& [key, item] : value.struct_value().fields()) {
      if (auto err = check_value(item, value_field, path + "." + key)) {
        return err;
      }
    }
    return caf::none;
  }
  if (f->is_repeated()) {
    if (value.kind_case() != pb::Value::kListValue) {
      return "field '" + path + "' must be an array";
    }
    const auto& items = value.list_value().values();
    for (int i = 0; i < items.size(); ++i) {
      if (auto err = check_value(items.Get(i), f, path + "[" + std::to_string(i) + "]")) {
        return err;
      }
    }
    return caf::none;
  }
  return check_value(value, f, path);
}

caf::optional<std::string> check_message(const pb::Value& value, const pb::Descriptor* d,
                                         const std::string& path) {
  if (value.kind_case() != pb::Value::kStructValue) {
    return path.empty() ? std::string{"the body must be a JSON object"}
                        : "field '" + path + "' must be an object";
  }
  for (const auto& [key, item] : value.struct_value().fields()) {
    // Exact proto field names only: FindFieldByName does not know camelCase spellings.
    auto* f = d->FindFieldByName(key);
    if (f == nullptr) {
      return "unknown field '" + join(path, key) + "'";
    }
    if (auto err = check_field(item, f, join(path, key))) {
      return err;
    }
  }
  return caf::none;
}

bool is_json_content_type(const http_request& req) {
  auto i = req.find(http::field::content_type);
  if (i == req.end()) {
    return false;
  }
  std::string value{i->value()};
  for (auto& c : value) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto media = value.substr(0, value.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.pop_back();
  }
  return media == "application/json";
}

} // namespace

caf::optional<std::string> parse_json_strict(std::string_view body, pb::Message& out) {
  if (!is_strict_json(body)) {
    return std::string{"malformed JSON"};
  }
  std::string text{body};
  pb::Value generic;
  auto parsed = pb::util::JsonStringToMessage(text, &generic);
  if (!parsed.ok()) {
    return std::string{"malformed JSON"};
  }
  if (auto err = check_message(generic, out.GetDescriptor(), "")) {
    return err;
  }
  pb::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  out.Clear();
  auto status = pb::util::JsonStringToMessage(text, &out, opts);
  if (!status.ok()) {
    // E.g. an integer out of range or a malformed timestamp.
    return "invalid body: " + std::string{status.message()};
  }
  return caf::none;
}

caf::optional<std::string> check_body(const http_request& req, pb::Message& out) {
  if (req.body().empty()) {
    if (out.GetDescriptor()->field_count() == 0) {
      out.Clear();
      return caf::none;
    }
    return std::string{"a JSON body is required"};
  }
  if (!is_json_content_type(req)) {
    return std::string{"Content-Type must be application/json"};
  }
  return parse_json_strict(req.body(), out);
}

bool parse_body(const context_ptr& ctx, pb::Message& out) {
  if (auto err = check_body(ctx->req, out)) {
    reply_error(ctx, errc::bad_request, std::move(*err));
    return false;
  }
  return true;
}

} // namespace leasehold::edge
