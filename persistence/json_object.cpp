#include "persistence/json_object.hpp"

#include "actors/errc.hpp"
#include "edge/json_text.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace leasehold::persistence {

// Written directly: these maps are small, often empty, and going through a Protobuf Struct
// and its JSON printer took a few percent of the server's CPU under load.
std::string to_json_object(const std::map<std::string, std::string>& fields) {
  std::string out;
  edge::json_object_writer object{out};
  for (auto& [key, value] : fields) {
    edge::append_json_string(value, object.member(key));
  }
  object.close();
  return out;
}

std::string to_json_object(const std::map<std::string, bool>& fields) {
  std::string out;
  edge::append_json_flags(fields, out);
  return out;
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
