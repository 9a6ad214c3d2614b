#include "persistence/json_object.hpp"

#include "actors/errc.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace leasehold::persistence {

namespace {

std::string print(const google::protobuf::Struct& obj) {
  std::string out;
  // Printing a Struct cannot fail: it holds nothing but JSON values.
  auto status = google::protobuf::util::MessageToJsonString(obj, &out);
  return status.ok() ? out : std::string{"{}"};
}

} // namespace

std::string to_json_object(const std::map<std::string, std::string>& fields) {
  google::protobuf::Struct obj;
  auto& out = *obj.mutable_fields();
  for (auto& [key, value] : fields) {
    out[key].set_string_value(value);
  }
  return print(obj);
}

std::string to_json_object(const std::map<std::string, bool>& fields) {
  google::protobuf::Struct obj;
  auto& out = *obj.mutable_fields();
  for (auto& [key, value] : fields) {
    out[key].set_bool_value(value);
  }
  return print(obj);
}

caf::expected<std::map<std::string, bool>> parse_json_flags(const std::string& json) {
  google::protobuf::Struct obj;
  auto status = google::protobuf::util::JsonStringToMessage(json, &obj);
  if (!status.ok()) {
    return make_error(errc::internal, "not a JSON object: " + std::string{status.message()});
  }
  std::map<std::string, bool> result;
  for (auto& [key, value] : obj.fields()) {
    if (value.kind_case() == google::protobuf::Value::kBoolValue) {
      result.emplace(key, value.bool_value());
    }
  }
  return result;
}

} // namespace leasehold::persistence
