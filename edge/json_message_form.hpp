#pragma once

#include <google/protobuf/descriptor.h>

namespace leasehold::edge {

/// How the JSON codec writes and reads a message type. Timestamps are RFC 3339 strings;
/// Struct, Value and ListValue are plain JSON; other well-known types (Any, Duration,
/// FieldMask, wrappers) have JSON forms the API does not use, so the codec refuses them.
enum class message_form { object, timestamp, structure, value, list, unsupported };

inline message_form form_of(const google::protobuf::Descriptor* d) {
  if (d->file()->package() != "google.protobuf") {
    return message_form::object;
  }
  const auto& name = d->name();
  if (name == "Timestamp") {
    return message_form::timestamp;
  }
  if (name == "Struct") {
    return message_form::structure;
  }
  if (name == "Value") {
    return message_form::value;
  }
  if (name == "ListValue") {
    return message_form::list;
  }
  return name == "Empty" ? message_form::object : message_form::unsupported;
}

} // namespace leasehold::edge
