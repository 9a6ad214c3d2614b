// Writes messages as JSON by reflection, straight into one string. Protobuf's own printer
// serializes to the wire format, reads it back through a type resolver and builds a tree of
// defaults before printing; the API's responses do not need that generality.

#include "edge/proto_to_json.hpp"

#include "edge/json_message_form.hpp"
#include "edge/json_text.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace leasehold::edge {

namespace {

namespace pb = google::protobuf;
using cpp_type = pb::FieldDescriptor::CppType;
using result = caf::optional<std::string>;

template <class Integer> void append_integer(Integer x, std::string& out) {
  char text[24];
  auto end = std::to_chars(text, text + sizeof text, x).ptr;
  out.append(text, end);
}

// True for a Value without a kind, which Protobuf's printer leaves out wherever it occurs.
// `type` is msg's type (known from its field: GetDescriptor() costs a call_once).
bool is_empty_value(const pb::Descriptor* type, const pb::Message& msg) {
  if (form_of(type) != message_form::value) {
    return false;
  }
  auto* value = pb::DynamicCastToGenerated<pb::Value>(&msg);
  return value != nullptr && value->kind_case() == pb::Value::KIND_NOT_SET;
}

class json_writer {
public:
  explicit json_writer(std::string& out) : out_(out) {
    // nop
  }

  result message(const pb::Message& msg, const pb::Descriptor* type);

private:
  // Every function on fields gets the message's reflection from its caller.
  result object(const pb::Message& msg, const pb::Descriptor* type);
  result field(const pb::Message& msg, const pb::Reflection* refl, const pb::FieldDescriptor* f,
               bool& first);
  result map(const pb::Message& msg, const pb::Reflection* refl, const pb::FieldDescriptor* f);
  result element(const pb::Message& msg, const pb::Reflection* refl, const pb::FieldDescriptor* f,
                 int index);
  result timestamp(const pb::Timestamp& x);
  result structure(const pb::Struct& x);
  result value(const pb::Value& x);
  result list(const pb::ListValue& x);

  void separate(bool& first) {
    if (!first) {
      out_ += ',';
    }
    first = false;
  }

  void key(const std::string& name) {
    // Proto field names are identifiers: nothing to escape.
    out_ += '"';
    out_ += name;
    out_ += "\":";
  }

  std::string& out_;
};

result json_writer::message(const pb::Message& msg, const pb::Descriptor* type) {
  auto form = form_of(type);
  if (form == message_form::object) {
    return object(msg, type);
  }
  // The well-known types are written from their generated classes; a dynamic message of one
  // of them (from a pool of its own) is not.
  switch (form) {
  case message_form::timestamp:
    if (auto* x = pb::DynamicCastToGenerated<pb::Timestamp>(&msg)) {
      return timestamp(*x);
    }
    break;
  case message_form::structure:
    if (auto* x = pb::DynamicCastToGenerated<pb::Struct>(&msg)) {
      return structure(*x);
    }
    break;
  case message_form::value:
    if (auto* x = pb::DynamicCastToGenerated<pb::Value>(&msg)) {
      return value(*x);
    }
    break;
  case message_form::list:
    if (auto* x = pb::DynamicCastToGenerated<pb::ListValue>(&msg)) {
      return list(*x);
    }
    break;
  default:
    break;
  }
  return "cannot write a " + type->full_name() + " as JSON";
}

result json_writer::object(const pb::Message& msg, const pb::Descriptor* type) {
  auto* refl = msg.GetReflection();
  out_ += '{';
  bool first = true;
  // Fields in number order; declaration order is the same in all but odd protos.
  auto count = type->field_count();
  bool sorted = true;
  for (int i = 1; i < count && sorted; ++i) {
    sorted = type->field(i - 1)->number() < type->field(i)->number();
  }
  if (sorted) {
    for (int i = 0; i < count; ++i) {
      if (auto err = field(msg, refl, type->field(i), first)) {
        return err;
      }
    }
  } else {
    std::vector<const pb::FieldDescriptor*> fields;
    fields.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      fields.push_back(type->field(i));
    }
    std::sort(fields.begin(), fields.end(),
              [](auto* x, auto* y) { return x->number() < y->number(); });
    for (auto* f : fields) {
      if (auto err = field(msg, refl, f, first)) {
        return err;
      }
    }
  }
  out_ += '}';
  return caf::none;
}

result json_writer::field(const pb::Message& msg, const pb::Reflection* refl,
                          const pb::FieldDescriptor* f, bool& first) {
  if (f->is_map()) {
    separate(first);
    key(f->name());
    return map(msg, refl, f);
  }
  auto* type = f->cpp_type() == cpp_type::CPPTYPE_MESSAGE ? f->message_type() : nullptr;
  if (f->is_repeated()) {
    separate(first);
    key(f->name());
    out_ += '[';
    bool first_item = true;
    auto size = refl->FieldSize(msg, f);
    for (int i = 0; i < size; ++i) {
      if (type != nullptr && is_empty_value(type, refl->GetRepeatedMessage(msg, f, i))) {
        continue;
      }
      separate(first_item);
      if (auto err = element(msg, refl, f, i)) {
        return err;
      }
    }
    out_ += ']';
    return caf::none;
  }
  // Messages, proto3 `optional` and oneof members only when set; other scalars always.
  if (f->has_presence() && !refl->HasField(msg, f)) {
    return caf::none;
  }
  if (type != nullptr && is_empty_value(type, refl->GetMessage(msg, f))) {
    return caf::none;
  }
  separate(first);
  key(f->name());
  return element(msg, refl, f, -1);
}

result json_writer::map(const pb::Message& msg, const pb::Reflection* refl,
                        const pb::FieldDescriptor* f) {
  // Reflection sees a map as its repeated entries, in no particular order.
  struct entry {
    std::string key;
    const pb::Message* msg;
  };
  auto* key_field = f->message_type()->map_key();
  auto* value_field = f->message_type()->map_value();
  auto* value_type =
    value_field->cpp_type() == cpp_type::CPPTYPE_MESSAGE ? value_field->message_type() : nullptr;
  auto size = refl->FieldSize(msg, f);
  if (size == 0) {
    out_ += "{}";
    return caf::none;
  }
  const auto* entry_refl = refl->GetRepeatedMessage(msg, f, 0).GetReflection();
  std::vector<entry> entries;
  entries.reserve(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) {
    const auto& item = refl->GetRepeatedMessage(msg, f, i);
    std::string key;
    switch (key_field->cpp_type()) {
    case cpp_type::CPPTYPE_STRING:
      key = entry_refl->GetString(item, key_field);
      break;
    case cpp_type::CPPTYPE_BOOL:
      key = entry_refl->GetBool(item, key_field) ? "true" : "false";
      break;
    case cpp_type::CPPTYPE_INT32:
      key = std::to_string(entry_refl->GetInt32(item, key_field));
      break;
    case cpp_type::CPPTYPE_INT64:
      key = std::to_string(entry_refl->GetInt64(item, key_field));
      break;
    case cpp_type::CPPTYPE_UINT32:
      key = std::to_string(entry_refl->GetUInt32(item, key_field));
      break;
    case cpp_type::CPPTYPE_UINT64:
      key = std::to_string(entry_refl->GetUInt64(item, key_field));
      break;
    default:
      return "cannot write the map keys of " + f->full_name();
    }
    entries.push_back({std::move(key), &item});
  }
  // Sorted keys: the order of Protobuf's maps changes from run to run.
  std::sort(entries.begin(), entries.end(),
            [](const entry& x, const entry& y) { return x.key < y.key; });
  out_ += '{';
  bool first = true;
  for (const auto& [key, item] : entries) {
    if (value_type != nullptr &&
        is_empty_value(value_type, entry_refl->GetMessage(*item, value_field))) {
      continue;
    }
    separate(first);
    append_json_string(key, out_);
    out_ += ':';
    if (auto err = element(*item, entry_refl, value_field, -1)) {
      return err;
    }
  }
  out_ += '}';
  return caf::none;
}

// One value of `f`: the field itself if `index` < 0, else its element `index`.
result json_writer::element(const pb::Message& msg, const pb::Reflection* refl,
                            const pb::FieldDescriptor* f, int index) {
  auto one = index < 0;
  switch (f->cpp_type()) {
  case cpp_type::CPPTYPE_INT32:
    append_integer(one ? refl->GetInt32(msg, f) : refl->GetRepeatedInt32(msg, f, index), out_);
    return caf::none;
  case cpp_type::CPPTYPE_UINT32:
    append_integer(one ? refl->GetUInt32(msg, f) : refl->GetRepeatedUInt32(msg, f, index), out_);
    return caf::none;
  case cpp_type::CPPTYPE_INT64:
    // Beyond 2^53 JSON numbers lose precision: the proto3 mapping quotes 64-bit integers.
    out_ += '"';
    append_integer(one ? refl->GetInt64(msg, f) : refl->GetRepeatedInt64(msg, f, index), out_);
    out_ += '"';
    return caf::none;
  case cpp_type::CPPTYPE_UINT64:
    out_ += '"';
    append_integer(one ? refl->GetUInt64(msg, f) : refl->GetRepeatedUInt64(msg, f, index), out_);
    out_ += '"';
    return caf::none;
  case cpp_type::CPPTYPE_DOUBLE:
    append_json_double(one ? refl->GetDouble(msg, f) : refl->GetRepeatedDouble(msg, f, index),
                       out_);
    return caf::none;
  case cpp_type::CPPTYPE_FLOAT:
    append_json_float(one ? refl->GetFloat(msg, f) : refl->GetRepeatedFloat(msg, f, index), out_);
    return caf::none;
  case cpp_type::CPPTYPE_BOOL:
    out_ += (one ? refl->GetBool(msg, f) : refl->GetRepeatedBool(msg, f, index)) ? "true" : "false";
    return caf::none;
  case cpp_type::CPPTYPE_ENUM: {
    auto number = one ? refl->GetEnumValue(msg, f) : refl->GetRepeatedEnumValue(msg, f, index);
    auto* x = f->enum_type()->FindValueByNumber(number);
    if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
      out_ += "null";
    } else if (x == nullptr) {
      append_integer(number, out_); // a number this build does not know
    } else {
      append_json_string(x->name(), out_);
    }
    return caf::none;
  }
  case cpp_type::CPPTYPE_STRING: {
    if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
      return "cannot write the bytes field " + f->full_name() + " as JSON";
    }
    std::string scratch;
    const auto& x = one ? refl->GetStringReference(msg, f, &scratch)
                        : refl->GetRepeatedStringReference(msg, f, index, &scratch);
    append_json_string(x, out_);
    return caf::none;
  }
  case cpp_type::CPPTYPE_MESSAGE: {
    const auto& x = one ? refl->GetMessage(msg, f) : refl->GetRepeatedMessage(msg, f, index);
    if (auto err = message(x, f->message_type())) {
      return f->full_name() + ": " + *err;
    }
    return caf::none;
  }
  }
  return caf::none;
}

result json_writer::timestamp(const pb::Timestamp& x) {
  if (!append_json_timestamp(x.seconds(), x.nanos(), out_)) {
    return std::string{"the time is outside the years 1..9999"};
  }
  return caf::none;
}

result json_writer::structure(const pb::Struct& x) {
  using member = pb::Map<std::string, pb::Value>::value_type;
  std::vector<const member*> members;
  members.reserve(x.fields().size());
  for (const auto& item : x.fields()) {
    if (item.second.kind_case() != pb::Value::KIND_NOT_SET) {
      members.push_back(&item);
    }
  }
  // Sorted keys: the order of Protobuf's maps changes from run to run.
  std::sort(members.begin(), members.end(),
            [](const member* a, const member* b) { return a->first < b->first; });
  out_ += '{';
  bool first = true;
  for (auto* item : members) {
    separate(first);
    append_json_string(item->first, out_);
    out_ += ':';
    if (auto err = value(item->second)) {
      return err;
    }
  }
  out_ += '}';
  return caf::none;
}

result json_writer::value(const pb::Value& x) {
  switch (x.kind_case()) {
  case pb::Value::kNumberValue:
    append_json_double(x.number_value(), out_);
    return caf::none;
  case pb::Value::kStringValue:
    append_json_string(x.string_value(), out_);
    return caf::none;
  case pb::Value::kBoolValue:
    out_ += x.bool_value() ? "true" : "false";
    return caf::none;
  case pb::Value::kStructValue:
    return structure(x.struct_value());
  case pb::Value::kListValue:
    return list(x.list_value());
  case pb::Value::kNullValue:
  case pb::Value::KIND_NOT_SET: // only at the top: elsewhere it is left out
    out_ += "null";
    return caf::none;
  }
  return caf::none;
}

result json_writer::list(const pb::ListValue& x) {
  out_ += '[';
  bool first = true;
  for (const auto& item : x.values()) {
    if (item.kind_case() == pb::Value::KIND_NOT_SET) {
      continue;
    }
    separate(first);
    if (auto err = value(item)) {
      return err;
    }
  }
  out_ += ']';
  return caf::none;
}

} // namespace

caf::optional<std::string> append_json(const pb::Message& msg, std::string& out) {
  return json_writer{out}.message(msg, msg.GetDescriptor());
}

} // namespace leasehold::edge
