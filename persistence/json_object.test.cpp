#define CAF_SUITE persistence.json_object

#include "persistence/json_object.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::persistence;

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
