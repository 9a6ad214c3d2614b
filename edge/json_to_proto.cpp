// Strict JSON bodies in one parse: Boost.JSON builds a tree (in a stack buffer for the usual
// small body), which is walked against the message's descriptor, setting fields by
// reflection.

#include "edge/json_to_proto.hpp"

#include "edge/json_message_form.hpp"

// Boost.JSON is used header-only: this is the one translation unit that compiles it.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/src.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <cfloat>
#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

namespace leasehold::edge {

namespace {

namespace json = boost::json;
namespace pb = google::protobuf;
using cpp_type = pb::FieldDescriptor::CppType;
using pb::util::TimeUtil;

// ---- parsing -------------------------------------------------------------------------------

/// Parser events building a tree as boost::json::parser does, counting the keys read: a
/// Boost object keeps only the last of repeated keys, so a tree with fewer members than keys
/// read had a repeated key.
struct tree_builder {
  constexpr static size_t max_object_size = json::object::max_size();
  constexpr static size_t max_array_size = json::array::max_size();
  constexpr static size_t max_key_size = json::string::max_size();
  constexpr static size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  size_t keys = 0;

  tree_builder(json::storage_ptr storage, unsigned char* buffer, size_t size)
      : stack(std::move(storage), buffer, size) {
    // nop
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(size_t n, json::error_code&) {
    keys += n;
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view part, size_t, json::error_code&) {
    stack.push_chars(part);
    return true;
  }
  bool on_key(json::string_view part, size_t, json::error_code&) {
    stack.push_key(part);
    return true;
  }
  bool on_string_part(json::string_view part, size_t, json::error_code&) {
    stack.push_chars(part);
    return true;
  }
  bool on_string(json::string_view part, size_t, json::error_code&) {
    stack.push_string(part);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t x, json::string_view, json::error_code&) {
    stack.push_int64(x);
    return true;
  }
  bool on_uint64(uint64_t x, json::string_view, json::error_code&) {
    stack.push_uint64(x);
    return true;
  }
  bool on_double(double x, json::string_view, json::error_code&) {
    stack.push_double(x);
    return true;
  }
  bool on_bool(bool x, json::error_code&) {
    stack.push_bool(x);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  // parse_options leave comments off: the parser never calls these.
  bool on_comment_part(json::string_view, json::error_code&) { return false; }
  bool on_comment(json::string_view, json::error_code&) { return false; }
};

size_t count_members(const json::value& x) {
  size_t result = 0;
  if (auto* obj = x.if_object()) {
    result += obj->size();
    for (const auto& item : *obj) {
      result += count_members(item.value());
    }
  } else if (auto* arr = x.if_array()) {
    for (const auto& item : *arr) {
      result += count_members(item);
    }
  }
  return result;
}

// ---- timestamps ----------------------------------------------------------------------------

// TimeUtil::FromString aborts the process when a UTC offset moves a time out of the years
// 1..9999 (0001-01-01T00:00:00+01:00), so times that close to either end with an offset are
// refused before it sees them. Offsets are less than a day.
bool parse_timestamp(const std::string& text, pb::Timestamp& out) {
  if (text.find('\0') != std::string::npos) {
    return false; // TimeUtil would stop reading there
  }
  auto t = text.find('T');
  auto sign = text.find_last_of("+-");
  if (t != std::string::npos && sign != std::string::npos && sign > t) {
    pb::Timestamp local;
    if (!TimeUtil::FromString(text.substr(0, sign) + 'Z', &local)) {
      return false;
    }
    constexpr int64_t day = 24 * 60 * 60;
    if (local.seconds() < TimeUtil::kTimestampMinSeconds + day ||
        local.seconds() > TimeUtil::kTimestampMaxSeconds - day) {
      return false;
    }
  }
  return TimeUtil::FromString(text, &out);
}

// ---- walking the tree ----------------------------------------------------------------------

bool is_value_field(const pb::FieldDescriptor* f) {
  return f->cpp_type() == cpp_type::CPPTYPE_MESSAGE &&
         form_of(f->message_type()) == message_form::value;
}

void set_value(const json::value& x, pb::Value& out);

void set_struct(const json::object& x, pb::Struct& out) {
  auto& fields = *out.mutable_fields();
  for (const auto& item : x) {
    set_value(item.value(), fields[std::string(item.key().data(), item.key().size())]);
  }
}

void set_value(const json::value& x, pb::Value& out) {
  switch (x.kind()) {
  case json::kind::null:
    out.set_null_value(pb::NULL_VALUE);
    return;
  case json::kind::bool_:
    out.set_bool_value(x.get_bool());
    return;
  case json::kind::int64:
    out.set_number_value(static_cast<double>(x.get_int64()));
    return;
  case json::kind::uint64:
    out.set_number_value(static_cast<double>(x.get_uint64()));
    return;
  case json::kind::double_:
    out.set_number_value(x.get_double());
    return;
  case json::kind::string:
    out.set_string_value(std::string(x.get_string().data(), x.get_string().size()));
    return;
  case json::kind::array: {
    auto* list = out.mutable_list_value();
    for (const auto& item : x.get_array()) {
      set_value(item, *list->add_values());
    }
    return;
  }
  case json::kind::object:
    set_struct(x.get_object(), *out.mutable_struct_value());
    return;
  }
}

// A Reflection setter or adder of one scalar type (SetInt32 / AddInt32, ...).
template <class T>
using reflection_writer = void (pb::Reflection::*)(pb::Message*, const pb::FieldDescriptor*,
                                                   T) const;

// Sets `f` of `out` to `value` with `set`, or adds it with `add` when `f` is repeated.
template <class T>
void put(pb::Message& out, const pb::FieldDescriptor* f, T value, reflection_writer<T> set,
         reflection_writer<T> add) {
  (out.GetReflection()->*(f->is_repeated() ? add : set))(&out, f, std::move(value));
}

class json_reader {
public:
  caf::optional<std::string> body(const json::object& x, pb::Message& out) {
    return message(x, out);
  }

private:
  using result = caf::optional<std::string>;

  result message(const json::value& x, pb::Message& out);
  result fields(const json::object& x, pb::Message& out);
  result field(const json::value& x, const pb::FieldDescriptor* f, pb::Message& out);
  result map(const json::object& x, const pb::FieldDescriptor* f, pb::Message& out);
  result element(const json::value& x, const pb::FieldDescriptor* f, pb::Message& out);
  template <class Integer> result integer(const json::value& x, Integer& out);
  template <class Integer>
  result integer_field(const json::value& x, const pb::FieldDescriptor* f, pb::Message& out,
                       reflection_writer<Integer> set, reflection_writer<Integer> add);
  result number(const json::value& x, double& out);
  result map_key(std::string_view key, const pb::FieldDescriptor* f, pb::Message& entry);

  std::string problem(const char* what) const { return "field '" + path_ + "' " + what; }

  // Appends `name` to the path for the lifetime of the guard.
  struct path_guard {
    std::string& path;
    size_t mark;
    ~path_guard() { path.resize(mark); }
  };
  path_guard enter(std::string_view name) {
    path_guard guard{path_, path_.size()};
    if (!path_.empty()) {
      path_ += '.';
    }
    path_ += name;
    return guard;
  }
  path_guard enter(size_t index) {
    path_guard guard{path_, path_.size()};
    path_ += '[';
    path_ += std::to_string(index);
    path_ += ']';
    return guard;
  }

  std::string path_;    // of the field being read: "inner.tags[2]"
  std::string scratch_; // names looked up in descriptors
};

json_reader::result json_reader::message(const json::value& x, pb::Message& out) {
  auto form = form_of(out.GetDescriptor());
  auto need = [&](bool ok, const char* what) -> result {
    if (ok) {
      return caf::none;
    }
    return problem(what);
  };
  switch (form) {
  case message_form::object:
    if (!x.is_object()) {
      return path_.empty() ? std::string{"the body must be a JSON object"}
                           : problem("must be an object");
    }
    return fields(x.get_object(), out);
  case message_form::timestamp: {
    if (auto err = need(x.is_string(), "must be a string")) {
      return err;
    }
    auto* ts = pb::DynamicCastToGenerated<pb::Timestamp>(&out);
    if (ts == nullptr) {
      break;
    }
    scratch_.assign(x.get_string().data(), x.get_string().size());
    return need(parse_timestamp(scratch_, *ts),
                "must be an RFC 3339 time in the years 1..9999, such as 2026-01-31T12:00:00Z");
  }
  case message_form::structure: {
    if (auto err = need(x.is_object(), "must be an object")) {
      return err;
    }
    auto* st = pb::DynamicCastToGenerated<pb::Struct>(&out);
    if (st == nullptr) {
      break;
    }
    set_struct(x.get_object(), *st);
    return caf::none;
  }
  case message_form::value: {
    auto* value = pb::DynamicCastToGenerated<pb::Value>(&out);
    if (value == nullptr) {
      break;
    }
    set_value(x, *value);
    return caf::none;
  }
  case message_form::list: {
    if (auto err = need(x.is_array(), "must be an array")) {
      return err;
    }
    auto* list = pb::DynamicCastToGenerated<pb::ListValue>(&out);
    if (list == nullptr) {
      break;
    }
    for (const auto& item : x.get_array()) {
      set_value(item, *list->add_values());
    }
    return caf::none;
  }
  case message_form::unsupported:
    break;
  }
  return problem("has a type that JSON bodies cannot set");
}

json_reader::result json_reader::fields(const json::object& x, pb::Message& out) {
  auto* d = out.GetDescriptor();
  auto* refl = out.GetReflection();
  for (const auto& item : x) {
    auto guard = enter(item.key());
    // Exact proto field names only: FindFieldByName does not know camelCase spellings.
    scratch_.assign(item.key().data(), item.key().size());
    auto* f = d->FindFieldByName(scratch_);
    if (f == nullptr) {
      return "unknown field '" + path_ + "'";
    }
    if (auto* oneof = f->real_containing_oneof(); oneof != nullptr && !item.value().is_null()) {
      if (auto* other = refl->GetOneofFieldDescriptor(out, oneof)) {
        return problem("cannot be given together with '") + other->name() + "'";
      }
    }
    if (auto err = field(item.value(), f, out)) {
      return err;
    }
  }
  return caf::none;
}

json_reader::result json_reader::field(const json::value& x, const pb::FieldDescriptor* f,
                                       pb::Message& out) {
  if (x.is_null()) {
    // Not given, except for a Value, whose null is a value (`"expires_at": null`).
    if (!f->is_repeated() && is_value_field(f)) {
      return message(x, *out.GetReflection()->MutableMessage(&out, f));
    }
    return caf::none;
  }
  if (f->is_map()) {
    if (!x.is_object()) {
      return problem("must be an object");
    }
    return map(x.get_object(), f, out);
  }
  if (f->is_repeated()) {
    if (!x.is_array()) {
      return problem("must be an array");
    }
    const auto& items = x.get_array();
    auto value_items = is_value_field(f);
    for (size_t i = 0; i < items.size(); ++i) {
      auto guard = enter(i);
      if (items[i].is_null() && !value_items) {
        continue; // as Protobuf's parser: a null element is no element
      }
      if (auto err = element(items[i], f, out)) {
        return err;
      }
    }
    return caf::none;
  }
  return element(x, f, out);
}

json_reader::result json_reader::map(const json::object& x, const pb::FieldDescriptor* f,
                                     pb::Message& out) {
  auto* key_field = f->message_type()->map_key();
  auto* value_field = f->message_type()->map_value();
  for (const auto& item : x) {
    auto guard = enter(item.key());
    auto* entry = out.GetReflection()->AddMessage(&out, f);
    if (auto err = map_key(item.key(), key_field, *entry)) {
      return err;
    }
    // A null value leaves the entry's default, as Protobuf's parser does.
    if (item.value().is_null() && !is_value_field(value_field)) {
      continue;
    }
    if (auto err = element(item.value(), value_field, *entry)) {
      return err;
    }
  }
  return caf::none;
}

json_reader::result json_reader::map_key(std::string_view key, const pb::FieldDescriptor* f,
                                         pb::Message& entry) {
  auto* refl = entry.GetReflection();
  // Sets the key from its decimal text; false if the text is not a number of that type.
  auto set_number = [&](auto zero, reflection_writer<decltype(zero)> set) {
    auto x = zero;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), x);
    if (ec != std::errc{} || end != key.data() + key.size()) {
      return false;
    }
    (refl->*set)(&entry, f, x);
    return true;
  };
  auto ok = false;
  switch (f->cpp_type()) {
  case cpp_type::CPPTYPE_STRING:
    refl->SetString(&entry, f, std::string{key});
    return caf::none;
  case cpp_type::CPPTYPE_BOOL:
    ok = key == "true" || key == "false";
    if (ok) {
      refl->SetBool(&entry, f, key == "true");
    }
    break;
  case cpp_type::CPPTYPE_INT32:
    ok = set_number(int32_t{0}, &pb::Reflection::SetInt32);
    break;
  case cpp_type::CPPTYPE_INT64:
    ok = set_number(int64_t{0}, &pb::Reflection::SetInt64);
    break;
  case cpp_type::CPPTYPE_UINT32:
    ok = set_number(uint32_t{0}, &pb::Reflection::SetUInt32);
    break;
  case cpp_type::CPPTYPE_UINT64:
    ok = set_number(uint64_t{0}, &pb::Reflection::SetUInt64);
    break;
  default:
    break;
  }
  if (ok) {
    return caf::none;
  }
  return problem("is not a valid key of this map");
}

template <class Integer>
json_reader::result json_reader::integer(const json::value& x, Integer& out) {
  using limits = std::numeric_limits<Integer>;
  constexpr bool is_unsigned = std::is_unsigned_v<Integer>;
  auto too_large = [&] { return problem("must be at most ") + std::to_string(limits::max()); };
  auto too_small = [&] { return problem("must be at least ") + std::to_string(limits::min()); };
  switch (x.kind()) {
  case json::kind::int64: {
    auto value = x.get_int64();
    if (is_unsigned && value < 0) {
      return problem("must not be negative");
    }
    if constexpr (!is_unsigned && sizeof(Integer) < sizeof(int64_t)) {
      if (value < limits::min()) {
        return too_small();
      }
    }
    if constexpr (sizeof(Integer) < sizeof(int64_t)) {
      if (value > static_cast<int64_t>(limits::max())) {
        return too_large();
      }
    }
    out = static_cast<Integer>(value);
    return caf::none;
  }
  case json::kind::uint64: {
    // Only numbers above INT64_MAX come as uint64.
    auto value = x.get_uint64();
    if (value > static_cast<uint64_t>(limits::max())) {
      return too_large();
    }
    out = static_cast<Integer>(value);
    return caf::none;
  }
  case json::kind::double_: {
    auto value = x.get_double();
    if (std::floor(value) != value) {
      return problem("must be an integer");
    }
    if (is_unsigned && value < 0) {
      return problem("must not be negative");
    }
    // The bounds as doubles are exact: min is 0 or -2^(digits), max + 1 is 2^(digits).
    if (value < static_cast<double>(limits::min())) {
      return too_small();
    }
    if (value >= std::ldexp(1.0, limits::digits)) {
      return too_large();
    }
    out = static_cast<Integer>(value);
    return caf::none;
  }
  default:
    return problem("must be a number");
  }
}

json_reader::result json_reader::number(const json::value& x, double& out) {
  switch (x.kind()) {
  case json::kind::int64:
    out = static_cast<double>(x.get_int64());
    return caf::none;
  case json::kind::uint64:
    out = static_cast<double>(x.get_uint64());
    return caf::none;
  case json::kind::double_:
    out = x.get_double();
    return std::isfinite(out) ? result{} : problem("is out of range");
  default:
    return problem("must be a number");
  }
}

template <class Integer>
json_reader::result json_reader::integer_field(const json::value& x, const pb::FieldDescriptor* f,
                                               pb::Message& out, reflection_writer<Integer> set,
                                               reflection_writer<Integer> add) {
  Integer value = 0;
  if (auto err = integer(x, value)) {
    return err;
  }
  put(out, f, value, set, add);
  return caf::none;
}

// Sets `f` of `out` to `x`, or adds `x` if `f` is repeated.
json_reader::result json_reader::element(const json::value& x, const pb::FieldDescriptor* f,
                                         pb::Message& out) {
  using refl = pb::Reflection;
  switch (f->cpp_type()) {
  case cpp_type::CPPTYPE_INT32:
    return integer_field<int32_t>(x, f, out, &refl::SetInt32, &refl::AddInt32);
  case cpp_type::CPPTYPE_INT64:
    return integer_field<int64_t>(x, f, out, &refl::SetInt64, &refl::AddInt64);
  case cpp_type::CPPTYPE_UINT32:
    return integer_field<uint32_t>(x, f, out, &refl::SetUInt32, &refl::AddUInt32);
  case cpp_type::CPPTYPE_UINT64:
    return integer_field<uint64_t>(x, f, out, &refl::SetUInt64, &refl::AddUInt64);
  case cpp_type::CPPTYPE_DOUBLE: {
    double value = 0;
    if (auto err = number(x, value)) {
      return err;
    }
    put(out, f, value, &refl::SetDouble, &refl::AddDouble);
    return caf::none;
  }
  case cpp_type::CPPTYPE_FLOAT: {
    double value = 0;
    if (auto err = number(x, value)) {
      return err;
    }
    if (std::fabs(value) > FLT_MAX) {
      return problem("is out of range");
    }
    put(out, f, static_cast<float>(value), &refl::SetFloat, &refl::AddFloat);
    return caf::none;
  }
  case cpp_type::CPPTYPE_BOOL:
    if (!x.is_bool()) {
      return problem("must be true or false");
    }
    put(out, f, x.get_bool(), &refl::SetBool, &refl::AddBool);
    return caf::none;
  case cpp_type::CPPTYPE_STRING: {
    if (!x.is_string()) {
      return problem("must be a string");
    }
    if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
      return problem("has a type that JSON bodies cannot set");
    }
    put(out, f, std::string{x.get_string().data(), x.get_string().size()}, &refl::SetString,
        &refl::AddString);
    return caf::none;
  }
  case cpp_type::CPPTYPE_ENUM: {
    if (!x.is_string()) {
      return problem("must be a string");
    }
    scratch_.assign(x.get_string().data(), x.get_string().size());
    auto* value = f->enum_type()->FindValueByName(scratch_);
    if (value == nullptr) {
      return problem("has no value '") + scratch_ + "'";
    }
    put(out, f, value->number(), &refl::SetEnumValue, &refl::AddEnumValue);
    return caf::none;
  }
  case cpp_type::CPPTYPE_MESSAGE: {
    auto* reflection = out.GetReflection();
    return message(x, f->is_repeated() ? *reflection->AddMessage(&out, f)
                                       : *reflection->MutableMessage(&out, f));
  }
  }
  return caf::none;
}

} // namespace

caf::optional<std::string> json_to_proto(std::string_view text, pb::Message& out) {
  // Typical bodies fit these buffers: no allocation for the tree.
  unsigned char tree_buffer[4096];
  unsigned char stack_buffer[1024];
  json::monotonic_resource memory{tree_buffer, sizeof tree_buffer};
  json::parse_options options; // RFC 8259: no comments, no trailing commas, no bad UTF-8
  options.max_depth = max_json_depth;
  json::basic_parser<tree_builder> parser{options, json::storage_ptr{&memory}, stack_buffer,
                                          sizeof stack_buffer};
  parser.handler().stack.reset(json::storage_ptr{&memory});
  json::error_code ec;
  auto used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || used != text.size() || !parser.done()) {
    return std::string{"malformed JSON"};
  }
  auto tree = parser.handler().stack.release();
  if (count_members(tree) != parser.handler().keys) {
    return std::string{"malformed JSON"}; // a repeated key
  }
  if (!tree.is_object()) {
    return std::string{"the body must be a JSON object"};
  }
  out.Clear();
  return json_reader{}.body(tree.get_object(), out);
}

} // namespace leasehold::edge
