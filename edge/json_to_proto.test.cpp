#define CAF_SUITE edge.json_to_proto

#include "edge/json_to_proto.hpp"

#include "edge/json_test_message.hpp"

#include <caf/test/unit_test.hpp>

#include "leasehold/api/v1/licenses.pb.h"
#include "leasehold/api/v1/seats.pb.h"
#include <google/protobuf/util/time_util.h>

#include <string>

using namespace leasehold;
using namespace leasehold::edge;

namespace pb = google::protobuf;

namespace {

struct fixture : testing::test_types {
  // The error for `json` parsed into a test::All, or "" if it parses.
  std::string error_of(const std::string& json) {
    auto msg = make(all);
    auto err = json_to_proto(json, *msg);
    return err ? *err : std::string{};
  }

  // `json` parsed into a test::All, in Protobuf's text format ("" on error).
  std::string parsed(const std::string& json) {
    auto msg = make(all);
    if (auto err = json_to_proto(json, *msg)) {
      CAF_MESSAGE("unexpected error: " << *err);
      return {};
    }
    return msg->ShortDebugString();
  }

  template <class Message> std::string error_as(const std::string& json) {
    Message msg;
    auto err = json_to_proto(json, msg);
    return err ? *err : std::string{};
  }
};

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

} // namespace

CAF_TEST_FIXTURE_SCOPE(json_to_proto_tests, fixture)

CAF_TEST(every field type is set) {
  auto msg = make(all);
  auto err = json_to_proto(
    R"({"i32": -5, "i64": -9223372036854775808, "u32": 4294967295, "u64": 18446744073709551615,
        "d": 0.5, "f": 1.5, "b": true, "s": "h\u00e9\n", "color": "GREEN",
        "inner": {"name": "x", "count": 2}, "numbers": [1, 2], "inners": [{"name": "a"}, {}],
        "flags": {"sso": true, "audit": false}, "names": {"-7": "minus seven"},
        "at": "2026-01-31T12:00:00.25+01:00", "st": {"a": [1, "x", null, {"b": false}]},
        "v": 12, "list": [true], "values": [null, "s"], "left": "l", "maybe": 0,
        "colors": ["RED"], "inner_map": {"k": {"count": 1}}, "tags": ["t"],
        "value_map": {"n": null}})",
    *msg);
  CAF_REQUIRE(!err);
  CAF_CHECK_EQUAL(
    msg->ShortDebugString(),
    R"(i32: -5 i64: -9223372036854775808 u32: 4294967295 u64: 18446744073709551615 d: 0.5 )"
    R"(f: 1.5 b: true s: "h\303\251\n" color: GREEN inner { name: "x" count: 2 } numbers: 1 )"
    R"(numbers: 2 inners { name: "a" } inners { } flags { key: "audit" value: false } )"
    R"(flags { key: "sso" value: true } names { key: -7 value: "minus seven" } )"
    R"(at { seconds: 1769857200 nanos: 250000000 } st { fields { key: "a" value { list_value { )"
    R"(values { number_value: 1 } values { string_value: "x" } values { null_value: NULL_VALUE } )"
    R"(values { struct_value { fields { key: "b" value { bool_value: false } } } } } } } } )"
    R"(v { number_value: 12 } list { values { bool_value: true } } )"
    R"(values { null_value: NULL_VALUE } values { string_value: "s" } left: "l" maybe: 0 )"
    R"(colors: RED inner_map { key: "k" value { count: 1 } } tags: "t" )"
    R"(value_map { key: "n" value { null_value: NULL_VALUE } })");
}

CAF_TEST(the api bodies parse) {
  api::v1::CreateLicenseRequest create;
  auto err = json_to_proto(R"({"product": "cad", "seats_total": 5, "expires_at": null,
                               "features": {"sso": true}, "max_devices": 0})",
                           create);
  CAF_REQUIRE(!err);
  CAF_CHECK(create.has_seats_total());
  CAF_CHECK_EQUAL(create.seats_total(), 5);
  CAF_CHECK(create.has_max_devices());
  CAF_CHECK(!create.has_session_ttl());
  CAF_CHECK(create.expires_at().has_null_value());
  CAF_CHECK_EQUAL(create.features().at("sso"), true);
  api::v1::PatchLicenseRequest patch;
  err = json_to_proto(R"({"features": {}, "expires_at": "2026-01-01T00:00:00Z"})", patch);
  CAF_REQUIRE(!err);
  CAF_CHECK(patch.has_features());
  CAF_CHECK_EQUAL(patch.features().fields_size(), 0);
  CAF_CHECK_EQUAL(patch.expires_at().string_value(), "2026-01-01T00:00:00Z");
  api::v1::AcquireRequest acquire;
  err = json_to_proto(R"({"license_id": "L", "wait_seconds": 30})", acquire);
  CAF_REQUIRE(!err);
  CAF_CHECK_EQUAL(acquire.wait_seconds(), 30u);
}

CAF_TEST(the message is cleared first) {
  api::v1::AcquireRequest acquire;
  acquire.set_hostname("old");
  CAF_REQUIRE(!json_to_proto(R"({"os": "linux"})", acquire));
  CAF_CHECK_EQUAL(acquire.hostname(), "");
  CAF_CHECK_EQUAL(acquire.os(), "linux");
}

CAF_TEST(only exact field names are known) {
  CAF_CHECK_EQUAL(error_of(R"({"innerMap": {}})"), "unknown field 'innerMap'");
  CAF_CHECK_EQUAL(error_of(R"({"I32": 1})"), "unknown field 'I32'");
  CAF_CHECK_EQUAL(error_of(R"({"": 1})"), "unknown field ''");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"name": "x", "Name": "y"}})"),
                  "unknown field 'inner.Name'");
  CAF_CHECK_EQUAL(error_of(R"({"inners": [{}, {"counts": 1}]})"),
                  "unknown field 'inners[1].counts'");
  CAF_CHECK_EQUAL(error_of(R"({"inner_map": {"k": {"x": 1}}})"), "unknown field 'inner_map.k.x'");
  CAF_CHECK_EQUAL(error_as<api::v1::AcquireRequest>(R"({"licenseId": "x"})"),
                  "unknown field 'licenseId'");
}

CAF_TEST(integers must be integral json numbers) {
  CAF_CHECK_EQUAL(error_of(R"({"i32": "5"})"), "field 'i32' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"i64": "5"})"), "field 'i64' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"u64": true})"), "field 'u64' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"numbers": [1, "2"]})"), "field 'numbers[1]' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"i32": 1.5})"), "field 'i32' must be an integer");
  CAF_CHECK_EQUAL(error_of(R"({"i64": 1e-3})"), "field 'i64' must be an integer");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"count": 2.5}})"),
                  "field 'inner.count' must be an integer");
  // Integral values in other spellings are integers.
  CAF_CHECK_EQUAL(parsed(R"({"i32": 1e2, "u32": 3.0, "i64": -0})"), "i32: 100 u32: 3");
  CAF_CHECK_EQUAL(parsed(R"({"u64": -0.0})"), "");
}

CAF_TEST(unsigned integers must not be negative) {
  CAF_CHECK_EQUAL(error_of(R"({"u32": -1})"), "field 'u32' must not be negative");
  CAF_CHECK_EQUAL(error_of(R"({"u64": -1e300})"), "field 'u64' must not be negative");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"count": -3}})"),
                  "field 'inner.count' must not be negative");
  CAF_CHECK_EQUAL(error_as<api::v1::AcquireRequest>(R"({"wait_seconds": -1})"),
                  "field 'wait_seconds' must not be negative");
}

CAF_TEST(integers must fit their field) {
  CAF_CHECK_EQUAL(error_of(R"({"i32": 2147483648})"), "field 'i32' must be at most 2147483647");
  CAF_CHECK_EQUAL(error_of(R"({"i32": -2147483649})"), "field 'i32' must be at least -2147483648");
  CAF_CHECK_EQUAL(error_of(R"({"i32": 1e10})"), "field 'i32' must be at most 2147483647");
  CAF_CHECK_EQUAL(error_of(R"({"u32": 4294967296})"), "field 'u32' must be at most 4294967295");
  CAF_CHECK_EQUAL(error_of(R"({"i64": 9223372036854775808})"),
                  "field 'i64' must be at most 9223372036854775807");
  CAF_CHECK_EQUAL(error_of(R"({"i64": 1e19})"), "field 'i64' must be at most 9223372036854775807");
  CAF_CHECK_EQUAL(error_of(R"({"i64": -1e19})"),
                  "field 'i64' must be at least -9223372036854775808");
  CAF_CHECK_EQUAL(error_of(R"({"u64": 18446744073709551616})"),
                  "field 'u64' must be at most 18446744073709551615");
  CAF_CHECK_EQUAL(error_of(R"({"maybe": 1e300})"), "field 'maybe' must be at most 2147483647");
  CAF_CHECK_EQUAL(parsed(R"({"i32": -2147483648, "u64": 1e19, "i64": 9.2e18})"),
                  "i32: -2147483648 i64: 9200000000000000000 u64: 10000000000000000000");
  // What the old second parse answered with a Protobuf status.
  CAF_CHECK_EQUAL(error_as<api::v1::AcquireRequest>(R"({"wait_seconds": 5000000000})"),
                  "field 'wait_seconds' must be at most 4294967295");
  CAF_CHECK_EQUAL(error_as<api::v1::CreateLicenseRequest>(R"({"seats_total": 1e19})"),
                  "field 'seats_total' must be at most 9223372036854775807");
}

CAF_TEST(floating point fields take json numbers) {
  CAF_CHECK_EQUAL(parsed(R"({"d": 1, "f": -2})"), "d: 1 f: -2");
  CAF_CHECK_EQUAL(parsed(R"({"d": 18446744073709551615})"), "d: 1.8446744073709552e+19");
  CAF_CHECK_EQUAL(error_of(R"({"d": "1.5"})"), "field 'd' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"d": "NaN"})"), "field 'd' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"f": 1e39})"), "field 'f' is out of range");
}

CAF_TEST(strings bools and enums need their json types) {
  CAF_CHECK_EQUAL(error_of(R"({"s": 5})"), "field 's' must be a string");
  CAF_CHECK_EQUAL(error_of(R"({"tags": ["a", false]})"), "field 'tags[1]' must be a string");
  CAF_CHECK_EQUAL(error_of(R"({"b": "true"})"), "field 'b' must be true or false");
  CAF_CHECK_EQUAL(error_of(R"({"b": 1})"), "field 'b' must be true or false");
  CAF_CHECK_EQUAL(error_of(R"({"flags": {"sso": "yes"}})"),
                  "field 'flags.sso' must be true or false");
  CAF_CHECK_EQUAL(error_of(R"({"color": 1})"), "field 'color' must be a string");
  CAF_CHECK_EQUAL(error_of(R"({"color": "red"})"), "field 'color' has no value 'red'");
  CAF_CHECK_EQUAL(error_of(R"({"colors": ["RED", "BLUE"]})"),
                  "field 'colors[1]' has no value 'BLUE'");
}

CAF_TEST(messages maps and lists need their json types) {
  CAF_CHECK_EQUAL(error_of(R"({"inner": "x"})"), "field 'inner' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"inner": []})"), "field 'inner' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"inners": [1]})"), "field 'inners[0]' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"flags": [true]})"), "field 'flags' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"numbers": 1})"), "field 'numbers' must be an array");
  CAF_CHECK_EQUAL(error_of(R"({"tags": {}})"), "field 'tags' must be an array");
  CAF_CHECK_EQUAL(error_of(R"({"st": [1]})"), "field 'st' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"list": {}})"), "field 'list' must be an array");
  CAF_CHECK_EQUAL(error_of(R"({"names": {"x": "y"}})"),
                  "field 'names.x' is not a valid key of this map");
  CAF_CHECK_EQUAL(error_of(R"({"names": {"1.0": "y"}})"),
                  "field 'names.1.0' is not a valid key of this map");
  CAF_CHECK_EQUAL(error_as<api::v1::PatchLicenseRequest>(R"({"features": [1]})"),
                  "field 'features' must be an object");
}

CAF_TEST(null means not given except for a value) {
  CAF_CHECK_EQUAL(parsed(R"({"i32": null, "s": null, "color": null, "inner": null,
                             "numbers": null, "flags": null, "at": null, "st": null,
                             "list": null, "maybe": null, "left": null})"),
                  "");
  // Null elements are no elements; a null map value is the value's default.
  CAF_CHECK_EQUAL(parsed(R"({"tags": ["a", null, "b"], "inners": [null]})"),
                  R"(tags: "a" tags: "b")");
  CAF_CHECK_EQUAL(parsed(R"({"flags": {"sso": null}, "inner_map": {"k": null}})"),
                  R"(flags { key: "sso" value: false } inner_map { key: "k" value { } })");
  // For a Value, null is a value: the API tells "no expiry" from "unchanged" with it.
  CAF_CHECK_EQUAL(parsed(R"({"v": null})"), "v { null_value: NULL_VALUE }");
  CAF_CHECK_EQUAL(parsed(R"({"values": [null]})"), "values { null_value: NULL_VALUE }");
  api::v1::PatchLicenseRequest patch;
  CAF_REQUIRE(!json_to_proto(R"({"expires_at": null, "features": null})", patch));
  CAF_CHECK(patch.has_expires_at());
  CAF_CHECK(patch.expires_at().has_null_value());
  CAF_CHECK(!patch.has_features());
}

CAF_TEST(proto3 optional fields know whether they were given) {
  api::v1::PatchLicenseRequest patch;
  CAF_REQUIRE(!json_to_proto(R"({"seats_total": 0, "status": null})", patch));
  CAF_CHECK(patch.has_seats_total());
  CAF_CHECK(!patch.has_status());
  CAF_CHECK(!patch.has_overdraft_seats());
}

CAF_TEST(one field of a oneof at most) {
  CAF_CHECK_EQUAL(error_of(R"({"left": "a", "right": "b"})"),
                  "field 'right' cannot be given together with 'left'");
  CAF_CHECK_EQUAL(parsed(R"({"left": null, "right": "b"})"), R"(right: "b")");
}

CAF_TEST(timestamps are rfc 3339 strings) {
  CAF_CHECK_EQUAL(parsed(R"({"at": "1970-01-01T00:00:01Z"})"), "at { seconds: 1 }");
  CAF_CHECK_EQUAL(parsed(R"({"at": "1970-01-01T00:00:00.000000001Z"})"), "at { nanos: 1 }");
  CAF_CHECK_EQUAL(parsed(R"({"at": "1970-01-01T01:00:00+01:00"})"), "at { }");
  CAF_CHECK_EQUAL(parsed(R"({"at": "0001-01-01T00:00:00Z"})"), "at { seconds: -62135596800 }");
  CAF_CHECK_EQUAL(parsed(R"({"at": "9999-12-31T23:59:59.999999999Z"})"),
                  "at { seconds: 253402300799 nanos: 999999999 }");
  auto bad = "field 'at' must be an RFC 3339 time in the years 1..9999, such as "
             "2026-01-31T12:00:00Z";
  for (auto text :
       {"2026-01-31", "2026-01-31T12:00:00", "2026-01-31 12:00:00Z", "2026-02-30T00:00:00Z",
        "2026-01-31T24:00:00Z", "2026-01-31t12:00:00z", "10000-01-01T00:00:00Z",
        "0000-12-31T00:00:00Z", "", "now", "2026-01-31T12:00:00+25:00"}) {
    CAF_CHECK_EQUAL(error_of(std::string{R"({"at": ")"} + text + "\"}"), bad);
  }
  // An offset that moves the time out of the years 1..9999 (TimeUtil would abort).
  CAF_CHECK_EQUAL(error_of(R"({"at": "0001-01-01T00:00:00+01:00"})"), bad);
  CAF_CHECK_EQUAL(error_of(R"({"at": "9999-12-31T23:59:59-01:00"})"), bad);
  CAF_CHECK_EQUAL(error_of(R"({"at": "1970-01-01T00:00:00Z\u0000junk"})"), bad);
  CAF_CHECK_EQUAL(error_of(R"({"at": 0})"), "field 'at' must be a string");
}

CAF_TEST(struct value and list take any json of their shape) {
  CAF_CHECK_EQUAL(parsed(R"({"v": {"a": {"b": [[], {}]}, "n": 1e400}})"),
                  R"(v { struct_value { fields { key: "a" value { struct_value { fields { )"
                  R"(key: "b" value { list_value { values { list_value { } } values { )"
                  R"(struct_value { } } } } } } } } fields { key: "n" value { number_value: inf )"
                  R"(} } } })");
  CAF_CHECK_EQUAL(parsed(R"({"v": 18446744073709551615, "st": {}})"),
                  "st { } v { number_value: 1.8446744073709552e+19 }");
  CAF_CHECK_EQUAL(parsed(R"({"list": []})"), "list { }");
}

CAF_TEST(types the api does not use are refused) {
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"name": "x"}})"), "");
  auto msg = make(odd);
  auto err = json_to_proto(R"({"raw": "AAE="})", *msg);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "field 'raw' has a type that JSON bodies cannot set");
  err = json_to_proto(R"({"took": "1s"})", *msg);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "field 'took' has a type that JSON bodies cannot set");
}

CAF_TEST(the body must be one strict json object) {
  CAF_CHECK_EQUAL(error_of("[1, 2]"), "the body must be a JSON object");
  CAF_CHECK_EQUAL(error_of("5"), "the body must be a JSON object");
  CAF_CHECK_EQUAL(error_of("null"), "the body must be a JSON object");
  CAF_CHECK_EQUAL(error_of(R"("x")"), "the body must be a JSON object");
  for (auto text : {"",
                    " ",
                    "{",
                    "}",
                    R"({"s": )",
                    "not json",
                    "{'s': 'x'}",
                    R"({s: "x"})",
                    R"({"s": "x"} trailing)",
                    R"({"s": "x"} {})",
                    R"({"s": "x",})",
                    R"({"numbers": [1,]})",
                    R"({"i32": 05})",
                    R"({"i32": +5})",
                    R"({"i32": .5})",
                    R"({"d": NaN})",
                    R"({"d": Infinity})",
                    R"({"s": "a\qb"})",
                    "{\"s\": \"a\nb\"}",
                    "{\"s\": \"\xff\"}",
                    "{\"s\": \"\xc3(\"}",
                    R"({"s": "\ud800"})",
                    "\xef\xbb\xbf{}",
                    R"({"s": "x"} // c)",
                    R"(/* c */ {"s": "x"})",
                    R"({"b": True})"}) {
    CAF_CHECK_EQUAL(error_of(text), "malformed JSON");
  }
  CAF_CHECK_EQUAL(error_of(" \t\r\n{}\n "), "");
}

CAF_TEST(repeated keys are refused) {
  CAF_CHECK_EQUAL(error_of(R"({"s": "x", "s": "y"})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"s": "x", "s": null})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"name": "a", "name": "b"}})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"inners": [{}, {"count": 1, "count": 1}]})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"st": {"a": 1, "a": 2}})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"v": [{"a": {"b": 1, "b": 1}}]})"), "malformed JSON");
  // A repeat is found before an unknown field, wherever it is.
  CAF_CHECK_EQUAL(error_of(R"({"nope": 1, "st": {"a": 1, "a": 2}})"), "malformed JSON");
  // Keys that only look alike are different keys.
  CAF_CHECK_EQUAL(error_of(R"({"st": {"a": 1, "A": 2, "a ": 3, "\u0061b": 4, "ab ": 5}})"), "");
}

CAF_TEST(nesting is limited) {
  // The body object is one level.
  CAF_CHECK_EQUAL(error_of(R"({"v": )" + nested(max_json_depth - 1) + "}"), "");
  CAF_CHECK_EQUAL(error_of(R"({"v": )" + nested(max_json_depth) + "}"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(nested(100)), "malformed JSON");
}

CAF_TEST(bodies larger than the stack buffers parse) {
  std::string json = R"({"tags": [)";
  for (int i = 0; i < 2000; ++i) {
    json += (i == 0 ? "\"" : ", \"") + std::string(40, static_cast<char>('a' + i % 26)) + "\"";
  }
  json += R"(], "st": {)";
  for (int i = 0; i < 500; ++i) {
    json += (i == 0 ? "\"k" : ", \"k") + std::to_string(i) + R"(": {"x": [1, 2, 3]})";
  }
  json += "}}";
  auto msg = make(all);
  CAF_REQUIRE(!json_to_proto(json, *msg));
  auto* tags = all->FindFieldByName("tags");
  CAF_CHECK_EQUAL(msg->GetReflection()->FieldSize(*msg, tags), 2000);
  CAF_CHECK_EQUAL(msg->GetReflection()->GetRepeatedString(*msg, tags, 1999), std::string(40, 'x'));
}

CAF_TEST(a top level struct is any json object) {
  pb::Struct claims;
  CAF_REQUIRE(!json_to_proto(R"({"sub": "u", "exp": 1800000000, "seats": [1]})", claims));
  CAF_CHECK_EQUAL(claims.fields().at("exp").number_value(), 1800000000.0);
  CAF_CHECK_EQUAL(claims.fields().at("sub").string_value(), "u");
  CAF_CHECK_EQUAL(json_to_proto("[]", claims), std::string{"the body must be a JSON object"});
}

CAF_TEST_FIXTURE_SCOPE_END()
