#define CAF_SUITE edge.request_body

#include "edge/request_body.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

#include <memory>

using namespace leasehold;
using namespace leasehold::edge;

namespace pb = google::protobuf;

namespace {

// A message shaped like the API's bodies, built at run time so that the test does not depend
// on any endpoint's .proto:
//   message Inner { string hardware_id = 1; uint32 wait_seconds = 2; }
//   message Body  { uint32 seats_total = 1; string name = 2; Inner inner = 3;
//                   map<string, bool> features = 4; repeated string tags = 5;
//                   int64 before = 6; bool active = 7; }
struct fixture {
  pb::DescriptorPool pool;
  pb::DynamicMessageFactory factory{&pool};
  const pb::Descriptor* body_type = nullptr;

  fixture() {
    pb::FileDescriptorProto file;
    file.set_name("strict_test.proto");
    file.set_package("test");
    file.set_syntax("proto3");
    auto* inner = file.add_message_type();
    inner->set_name("Inner");
    add_field(inner, "hardware_id", 1, pb::FieldDescriptorProto::TYPE_STRING);
    add_field(inner, "wait_seconds", 2, pb::FieldDescriptorProto::TYPE_UINT32);
    auto* body = file.add_message_type();
    body->set_name("Body");
    add_field(body, "seats_total", 1, pb::FieldDescriptorProto::TYPE_UINT32);
    add_field(body, "name", 2, pb::FieldDescriptorProto::TYPE_STRING);
    add_field(body, "inner", 3, pb::FieldDescriptorProto::TYPE_MESSAGE)
      ->set_type_name(".test.Inner");
    auto* entry = body->add_nested_type();
    entry->set_name("FeaturesEntry");
    entry->mutable_options()->set_map_entry(true);
    add_field(entry, "key", 1, pb::FieldDescriptorProto::TYPE_STRING);
    add_field(entry, "value", 2, pb::FieldDescriptorProto::TYPE_BOOL);
    auto* features = add_field(body, "features", 4, pb::FieldDescriptorProto::TYPE_MESSAGE);
    features->set_type_name(".test.Body.FeaturesEntry");
    features->set_label(pb::FieldDescriptorProto::LABEL_REPEATED);
    add_field(body, "tags", 5, pb::FieldDescriptorProto::TYPE_STRING)
      ->set_label(pb::FieldDescriptorProto::LABEL_REPEATED);
    add_field(body, "before", 6, pb::FieldDescriptorProto::TYPE_INT64);
    add_field(body, "active", 7, pb::FieldDescriptorProto::TYPE_BOOL);
    auto* built = pool.BuildFile(file);
    CAF_REQUIRE(built != nullptr);
    body_type = built->FindMessageTypeByName("Body");
    CAF_REQUIRE(body_type != nullptr);
  }

  static pb::FieldDescriptorProto* add_field(pb::DescriptorProto* msg, const char* name, int number,
                                             pb::FieldDescriptorProto::Type type) {
    auto* f = msg->add_field();
    f->set_name(name);
    f->set_number(number);
    f->set_type(type);
    f->set_label(pb::FieldDescriptorProto::LABEL_OPTIONAL);
    return f;
  }

  std::unique_ptr<pb::Message> make() {
    return std::unique_ptr<pb::Message>(factory.GetPrototype(body_type)->New());
  }

  // The error for `json`, or "" if it parses.
  std::string error_of(const std::string& json) {
    auto msg = make();
    auto err = parse_json_strict(json, *msg);
    return err ? *err : std::string{};
  }

  http_request post(std::string body, const char* content_type = "application/json") {
    http_request req{http::verb::post, "/x", 11};
    if (content_type != nullptr) {
      req.set(http::field::content_type, content_type);
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(request_body_tests, fixture)

CAF_TEST(a valid body is accepted with all its values) {
  auto msg = make();
  auto err = parse_json_strict(
    R"({"seats_total": 5, "name": "acme", "inner": {"hardware_id": "hw-1", "wait_seconds": 3},
        "features": {"sso": true, "audit": false}, "tags": ["a", "b"], "before": 42,
        "active": true})",
    *msg);
  CAF_REQUIRE(!err);
  auto* refl = msg->GetReflection();
  CAF_CHECK_EQUAL(refl->GetUInt32(*msg, body_type->FindFieldByName("seats_total")), 5u);
  CAF_CHECK_EQUAL(refl->GetString(*msg, body_type->FindFieldByName("name")), "acme");
  CAF_CHECK_EQUAL(refl->GetInt64(*msg, body_type->FindFieldByName("before")), 42);
  CAF_CHECK_EQUAL(refl->FieldSize(*msg, body_type->FindFieldByName("features")), 2);
  CAF_CHECK_EQUAL(refl->FieldSize(*msg, body_type->FindFieldByName("tags")), 2);
  const auto& inner = refl->GetMessage(*msg, body_type->FindFieldByName("inner"));
  CAF_CHECK_EQUAL(
    inner.GetReflection()->GetString(inner, inner.GetDescriptor()->FindFieldByName("hardware_id")),
    "hw-1");
}

CAF_TEST(camel case names are rejected) {
  CAF_CHECK_EQUAL(error_of(R"({"seatsTotal": 5})"), "unknown field 'seatsTotal'");
}

CAF_TEST(unknown fields are rejected) {
  CAF_CHECK_EQUAL(error_of(R"({"name": "x", "color": "red"})"), "unknown field 'color'");
}

CAF_TEST(unknown fields of nested messages are rejected) {
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"hardware_id": "h", "hardwareId": "h"}})"),
                  "unknown field 'inner.hardwareId'");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"waitSeconds": 1}})"),
                  "unknown field 'inner.waitSeconds'");
}

CAF_TEST(quoted numbers are rejected) {
  CAF_CHECK_EQUAL(error_of(R"({"seats_total": "5"})"), "field 'seats_total' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"before": "42"})"), "field 'before' must be a number");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"wait_seconds": "3"}})"),
                  "field 'inner.wait_seconds' must be a number");
}

CAF_TEST(wrong json types are rejected) {
  CAF_CHECK_EQUAL(error_of(R"({"name": 5})"), "field 'name' must be a string");
  CAF_CHECK_EQUAL(error_of(R"({"active": "true"})"), "field 'active' must be true or false");
  CAF_CHECK_EQUAL(error_of(R"({"features": {"sso": "yes"}})"),
                  "field 'features.sso' must be true or false");
  CAF_CHECK_EQUAL(error_of(R"({"tags": "a"})"), "field 'tags' must be an array");
  CAF_CHECK_EQUAL(error_of(R"({"tags": [1]})"), "field 'tags[0]' must be a string");
  CAF_CHECK_EQUAL(error_of(R"({"inner": "x"})"), "field 'inner' must be an object");
  CAF_CHECK_EQUAL(error_of(R"({"seats_total": 1.5})"), "field 'seats_total' must be an integer");
  CAF_CHECK_EQUAL(error_of(R"({"seats_total": -1})"), "field 'seats_total' must not be negative");
}

CAF_TEST(non objects and malformed json are rejected) {
  CAF_CHECK_EQUAL(error_of("[1, 2]"), "the body must be a JSON object");
  CAF_CHECK_EQUAL(error_of("5"), "the body must be a JSON object");
  CAF_CHECK_EQUAL(error_of(R"({"name": )"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of("not json"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of("{'name': 'x'}"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"name": "x"} trailing)"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"name": "x",})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"name": "x", "name": "y"})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"inner": {"hardware_id": "a", "hardware_id": "b"}})"),
                  "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"seats_total": 05})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"({"name": "a\qb"})"), "malformed JSON");
  CAF_CHECK_EQUAL(error_of("{\"name\": \"a\nb\"}"), "malformed JSON"); // raw newline
  CAF_CHECK_EQUAL(error_of(std::string(100, '[') + std::string(100, ']')), "malformed JSON");
  CAF_CHECK_EQUAL(error_of(R"( {"name": "\u00e9\n", "tags": [], "inner": {}} )"), "");
}

CAF_TEST(out of range numbers are rejected with the field named) {
  CAF_CHECK_EQUAL(error_of(R"({"seats_total": 5000000000})"),
                  "field 'seats_total' must be at most 4294967295");
}

CAF_TEST(a body needs a json content type) {
  auto msg = make();
  auto req = post(R"({"name": "x"})", "text/plain");
  auto err = check_body(req, *msg);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "Content-Type must be application/json");
  auto no_type = post(R"({"name": "x"})", nullptr);
  CAF_CHECK(check_body(no_type, *msg));
  auto with_charset = post(R"({"name": "x"})", "application/json; charset=utf-8");
  CAF_CHECK(!check_body(with_charset, *msg));
  auto any_case = post(R"({"name": "x"})", "Application/JSON ;charset=utf-8");
  CAF_CHECK(!check_body(any_case, *msg));
  auto longer = post(R"({"name": "x"})", "application/jsonx");
  CAF_CHECK(check_body(longer, *msg));
}

CAF_TEST(an empty body is rejected for a message with fields) {
  auto msg = make();
  auto req = post("", "application/json");
  auto err = check_body(req, *msg);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "a JSON body is required");
}

CAF_TEST_FIXTURE_SCOPE_END()
