#define CAF_SUITE persistence.json_object

#include "persistence/json_object.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <map>
#include <optional>
#include <string>

using namespace leasehold::persistence;
using namespace std::string_literals;

namespace {

// The string members of `json` as Protobuf's JSON parser reads them; nullopt if it is no
// JSON object.
std::optional<std::map<std::string, std::string>> parse_strings(const std::string& json) {
  google::protobuf::Struct obj;
  if (!google::protobuf::util::JsonStringToMessage(json, &obj).ok()) {
    return std::nullopt;
  }
  std::map<std::string, std::string> result;
  for (auto& [key, value] : obj.fields()) {
    result.emplace(key, value.string_value());
  }
  return result;
}

// What Protobuf's JSON printer writes for the map (what to_json_object used to return).
std::string protobuf_json(const std::map<std::string, std::string>& fields) {
  google::protobuf::Struct obj;
  for (auto& [key, value] : fields) {
    (*obj.mutable_fields())[key].set_string_value(value);
  }
  std::string out;
  CAF_REQUIRE(google::protobuf::util::MessageToJsonString(obj, &out).ok());
  return out;
}

// Control characters, quotes, backslashes, '<' and '>', DEL, non-ASCII UTF-8 (two-, three-
// and four-byte sequences) and code points Protobuf escapes (U+2028, U+FEFF).
const std::string awkward = "a\"b\\c/d\0e\x01\x1f\t\r\n\b\f<>&'\x7f"s +
                            "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 "
                            "\xc2\x85 \xe2\x80\xa8 \xef\xbb\xbf";

} // namespace

CAF_TEST(string fields are escaped by the JSON printer) {
  std::map<std::string, std::string> detail{{"note", "say \"hi\"\n\\"}, {"a", "1"}};
  auto json = to_json_object(detail);
  CAF_CHECK(json.find(R"("note":"say \"hi\"\n\\")") != std::string::npos);
  CAF_CHECK(json.find(R"("a":"1")") != std::string::npos);
  CAF_CHECK_EQUAL(json.front(), '{');
  CAF_CHECK_EQUAL(json.back(), '}');
}

CAF_TEST(an empty map is an empty object) {
  CAF_CHECK_EQUAL(to_json_object(std::map<std::string, std::string>{}), "{}");
  CAF_CHECK_EQUAL(to_json_object(std::map<std::string, bool>{}), "{}");
}

CAF_TEST(boolean flags survive printing and parsing) {
  std::map<std::string, bool> features{{"export", true}, {"beta \"x\"", false}};
  auto json = to_json_object(features);
  CAF_CHECK(json.find(R"("beta \"x\"":false)") != std::string::npos);
  auto parsed = parse_json_flags(json);
  CAF_REQUIRE(parsed);
  CAF_CHECK_EQUAL(*parsed, features);
}

CAF_TEST(parsing keeps booleans skips other values and rejects non objects) {
  auto parsed = parse_json_flags(R"({"a": true, "b": 1, "c": "x", "d": false})");
  CAF_REQUIRE(parsed);
  CAF_CHECK_EQUAL(*parsed, (std::map<std::string, bool>{{"a", true}, {"d", false}}));
  CAF_CHECK(!parse_json_flags("[1, 2]"));
  CAF_CHECK(!parse_json_flags("{"));
}

CAF_TEST(awkward keys and values read back as written) {
  std::map<std::string, std::string> detail{
    {"plain", "x"}, {awkward, "key"}, {"value", awkward}, {"", ""}, {"\xc3\xa9t\xc3\xa9", "\n"}};
  auto parsed = parse_strings(to_json_object(detail));
  CAF_REQUIRE(parsed);
  CAF_CHECK_EQUAL(*parsed, detail);
}

CAF_TEST(keys and values are escaped byte for byte as the Protobuf JSON printer escapes them) {
  for (auto& value : {std::string{"plain"}, awkward, std::string{"\"\\"}}) {
    std::map<std::string, std::string> detail{{"k", value}};
    CAF_CHECK_EQUAL(to_json_object(detail), protobuf_json(detail));
    std::map<std::string, std::string> keyed{{value, "v"}};
    CAF_CHECK_EQUAL(to_json_object(keyed), protobuf_json(keyed));
  }
}

CAF_TEST(invalid UTF - 8 is dropped and the object stays valid JSON) {
  std::map<std::string, std::string> detail{{"bad", "a\xff\xc3(b\xed\xa0\x80"
                                                    "c"}};
  auto json = to_json_object(detail);
  CAF_CHECK_EQUAL(json, protobuf_json(detail));
  auto parsed = parse_strings(json);
  CAF_REQUIRE(parsed);
  CAF_CHECK_EQUAL(parsed->at("bad").find('\xff'), std::string::npos);
}

CAF_TEST(members are separated by commas) {
  CAF_CHECK_EQUAL(to_json_object(std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}),
                  R"({"a":"1","b":"2"})");
  CAF_CHECK_EQUAL(to_json_object(std::map<std::string, bool>{{"a", true}, {"b", false}}),
                  R"({"a":true,"b":false})");
}
