#define CAF_SUITE edge.proto_to_json

#include "edge/proto_to_json.hpp"

#include "edge/json_test_message.hpp"

#include <caf/test/unit_test.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "leasehold/api/v1/accounts.pb.h"
#include "leasehold/api/v1/common.pb.h"
#include "leasehold/api/v1/licenses.pb.h"
#include "leasehold/api/v1/seats.pb.h"
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace leasehold;
using namespace leasehold::edge;

namespace pb = google::protobuf;

namespace {

using cpp_type = pb::FieldDescriptor::CppType;

// The printer append_json replaces, with the options response.cpp used.
std::string protobuf_json(const pb::Message& msg) {
  pb::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  opts.always_print_primitive_fields = true;
  std::string out;
  auto status = pb::util::MessageToJsonString(msg, &out, opts);
  if (!status.ok()) {
    CAF_FAIL("Protobuf cannot print " << msg.ShortDebugString() << ": " << status.ToString());
  }
  return out;
}

std::string our_json(const pb::Message& msg) {
  std::string out;
  if (auto err = append_json(msg, out)) {
    CAF_FAIL("cannot print " << msg.ShortDebugString() << ": " << *err);
  }
  return out;
}

// Fills messages with edge values: empty and odd strings, extreme numbers, times with and
// without fractions, nested Structs. A different seed gives a different instance.
class filler {
public:
  explicit filler(uint64_t seed) : random_(seed) {
    // nop
  }

  void fill(pb::Message& msg, int depth = 0) {
    auto* d = msg.GetDescriptor();
    if (auto* x = pb::DynamicCastToGenerated<pb::Timestamp>(&msg)) {
      auto [seconds, nanos] = pick(times_);
      x->set_seconds(seconds);
      x->set_nanos(nanos);
      return;
    }
    if (auto* x = pb::DynamicCastToGenerated<pb::Struct>(&msg)) {
      fill_struct(*x, depth);
      return;
    }
    if (auto* x = pb::DynamicCastToGenerated<pb::Value>(&msg)) {
      fill_value(*x, depth);
      return;
    }
    if (auto* x = pb::DynamicCastToGenerated<pb::ListValue>(&msg)) {
      fill_list(*x, depth);
      return;
    }
    auto* refl = msg.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      auto* f = d->field(i);
      if (random_() % 4 == 0) {
        continue; // left unset (or default)
      }
      if (f->is_repeated()) {
        auto count = depth > 2 ? 0 : random_() % 4;
        for (uint64_t j = 0; j < count; ++j) {
          if (f->is_map()) {
            auto* entry = refl->AddMessage(&msg, f);
            set(*entry, f->message_type()->map_key(), depth + 1);
            set(*entry, f->message_type()->map_value(), depth + 1);
          } else {
            set(msg, f, depth + 1);
          }
        }
      } else if (f->cpp_type() != cpp_type::CPPTYPE_MESSAGE || depth < 4) {
        set(msg, f, depth + 1);
      }
    }
  }

private:
  template <class T> const T& pick(const std::vector<T>& xs) { return xs[random_() % xs.size()]; }

  // Sets `f`, or adds an element if it is repeated.
  void set(pb::Message& msg, const pb::FieldDescriptor* f, int depth) {
    auto* refl = msg.GetReflection();
    auto add = f->is_repeated();
    switch (f->cpp_type()) {
    case cpp_type::CPPTYPE_INT32: {
      auto x = pick(int32s_);
      add ? refl->AddInt32(&msg, f, x) : refl->SetInt32(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_INT64: {
      auto x = pick(int64s_);
      add ? refl->AddInt64(&msg, f, x) : refl->SetInt64(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_UINT32: {
      auto x = pick(uint32s_);
      add ? refl->AddUInt32(&msg, f, x) : refl->SetUInt32(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_UINT64: {
      auto x = pick(uint64s_);
      add ? refl->AddUInt64(&msg, f, x) : refl->SetUInt64(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_DOUBLE: {
      auto x = pick(doubles_);
      add ? refl->AddDouble(&msg, f, x) : refl->SetDouble(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_FLOAT: {
      auto x = static_cast<float>(pick(doubles_));
      add ? refl->AddFloat(&msg, f, x) : refl->SetFloat(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_BOOL: {
      auto x = random_() % 2 == 0;
      add ? refl->AddBool(&msg, f, x) : refl->SetBool(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_ENUM: {
      // Now and then a number the enum does not name.
      auto* e = f->enum_type();
      auto x = random_() % 5 == 0
                 ? 99
                 : e->value(static_cast<int>(random_() % e->value_count()))->number();
      add ? refl->AddEnumValue(&msg, f, x) : refl->SetEnumValue(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_STRING: {
      const auto& x = pick(strings_);
      add ? refl->AddString(&msg, f, x) : refl->SetString(&msg, f, x);
      break;
    }
    case cpp_type::CPPTYPE_MESSAGE:
      fill(add ? *refl->AddMessage(&msg, f) : *refl->MutableMessage(&msg, f), depth);
      break;
    }
  }

  void fill_struct(pb::Struct& x, int depth) {
    auto count = depth > 3 ? 0 : random_() % 5;
    for (uint64_t i = 0; i < count; ++i) {
      fill_value((*x.mutable_fields())[pick(strings_)], depth + 1);
    }
  }

  void fill_list(pb::ListValue& x, int depth) {
    auto count = depth > 3 ? 0 : random_() % 4;
    for (uint64_t i = 0; i < count; ++i) {
      fill_value(*x.add_values(), depth + 1);
    }
  }

  void fill_value(pb::Value& x, int depth) {
    switch (random_() % (depth > 3 ? 5 : 7)) {
    case 0:
      x.set_null_value(pb::NULL_VALUE);
      break;
    case 1:
      x.set_number_value(pick(doubles_));
      break;
    case 2:
      x.set_string_value(pick(strings_));
      break;
    case 3:
      x.set_bool_value(random_() % 2 == 0);
      break;
    case 4:
      break; // no kind: Protobuf leaves such values out
    case 5:
      fill_struct(*x.mutable_struct_value(), depth);
      break;
    default:
      fill_list(*x.mutable_list_value(), depth);
      break;
    }
  }

  std::mt19937_64 random_;
  std::vector<std::string> strings_ = {"",
                                       "plain",
                                       "caf\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80",
                                       std::string("nul\0and\x01\x1f\x7f", 10),
                                       "tab\there\nnew\rline\b\f",
                                       "quote\" back\\ slash/",
                                       "<script>&'</script>",
                                       "\xc2\x85\xc2\xa0\xc2\xad",
                                       "\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf",
                                       "\xf0\x9d\x85\xb3\xf3\xa0\x80\x81",
                                       "k",
                                       "K",
                                       "a.b"};
  std::vector<int32_t> int32s_ = {0, 1, -1, std::numeric_limits<int32_t>::min(),
                                  std::numeric_limits<int32_t>::max()};
  std::vector<int64_t> int64s_ = {0,
                                  -1,
                                  42,
                                  std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max(),
                                  9007199254740993};
  std::vector<uint32_t> uint32s_ = {0, 1, 60, std::numeric_limits<uint32_t>::max()};
  std::vector<uint64_t> uint64s_ = {0, 1, std::numeric_limits<uint64_t>::max()};
  std::vector<double> doubles_ = {0.0,
                                  -0.0,
                                  1.0,
                                  -2.5,
                                  0.1,
                                  1e21,
                                  1e-7,
                                  1.0 / 3,
                                  1700000000.0,
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::quiet_NaN()};
  std::vector<std::pair<int64_t, int32_t>> times_ = {{0, 0},
                                                     {1'795'255'200, 0},
                                                     {1'795'255'200, 120'000'000},
                                                     {-1, 500},
                                                     {1'700'000'000, 999'999'999},
                                                     {-62'135'596'800, 0},
                                                     {253'402'300'799, 999'999'999},
                                                     {1'700'000'000, 1'000}};
};

// The API's messages and the test types with every field type the codec writes.
std::vector<const pb::Descriptor*> all_types(const testing::test_types& types) {
  std::vector<const pb::Descriptor*> result;
  // Each descriptor() call also links its file's generated code.
  for (auto* file :
       {api::v1::ErrorBody::descriptor()->file(), api::v1::User::descriptor()->file(),
        api::v1::License::descriptor()->file(), api::v1::LeaseResponse::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      result.push_back(file->message_type(i));
    }
  }
  result.push_back(types.pool.FindMessageTypeByName("test.Inner"));
  result.push_back(types.all);
  return result;
}

bool has_message_fields(const pb::Descriptor* d) {
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->cpp_type() == cpp_type::CPPTYPE_MESSAGE) {
      return true;
    }
  }
  return false;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(proto_to_json_tests, testing::test_types)

CAF_TEST(every message prints what protobuf prints) {
  // Protobuf puts set message fields last and iterates maps in hash order: the texts are
  // compared as JSON values (member order aside), and byte for byte for flat messages.
  size_t compared = 0;
  size_t mismatches = 0;
  for (auto* d : all_types(*this)) {
    for (uint64_t seed = 1; seed <= 40; ++seed) {
      auto msg = make(d);
      filler{seed * 7919 + static_cast<uint64_t>(d->index())}.fill(*msg);
      auto ours = our_json(*msg);
      auto theirs = protobuf_json(*msg);
      boost::json::error_code ec;
      auto ours_value = boost::json::parse(ours, ec);
      CAF_REQUIRE(!ec);
      auto same =
        ours_value == boost::json::parse(theirs) && (has_message_fields(d) || ours == theirs);
      ++compared;
      if (!same && ++mismatches <= 5) {
        CAF_ERROR(d->full_name() << " seed " << seed << ":\n  ours:     " << ours
                                 << "\n  protobuf: " << theirs);
      }
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
  CAF_CHECK_GREATER(compared, 1000u);
}

CAF_TEST(unset optional message and value fields are left out) {
  CAF_CHECK_EQUAL(our_json(api::v1::ErrorBody{}), R"({"error":"","message":"","request_id":""})");
  api::v1::ErrorBody denial;
  denial.set_error("no_seats_available");
  denial.set_seats_used(0);
  denial.set_retry_after(3);
  CAF_CHECK_EQUAL(our_json(denial), R"({"error":"no_seats_available","message":"","request_id":"",)"
                                    R"("seats_used":0,"retry_after":3})");
  api::v1::AuditPage page;
  CAF_CHECK_EQUAL(our_json(page), R"({"events":[]})");
  page.mutable_next_before(); // a Value without a kind
  CAF_CHECK_EQUAL(our_json(page), R"({"events":[]})");
  page.mutable_next_before()->set_null_value(pb::NULL_VALUE);
  CAF_CHECK_EQUAL(our_json(page), R"({"events":[],"next_before":null})");
}

CAF_TEST(scalars empty lists and maps are always printed) {
  CAF_CHECK_EQUAL(our_json(api::v1::License{}),
                  R"({"id":"","tenant_id":"","key":"","product":"","tier":"","status":"",)"
                  R"("seats_total":0,"seats_used":0,"overdraft_seats":0,"features":{},)"
                  R"("heartbeat_interval":0,"session_ttl":0,"offline_grace":0,"max_devices":0})");
}

CAF_TEST(members come in field number order) {
  api::v1::AuditEvent event;
  event.set_id(9007199254740993);
  (*event.mutable_detail()->mutable_fields())["seats"].set_number_value(3);
  event.mutable_at()->set_seconds(1'795'255'200);
  CAF_CHECK_EQUAL(our_json(event),
                  R"({"id":"9007199254740993","action":"","session_id":"","user_id":"",)"
                  R"("hardware_id":"","at":"2026-11-21T10:00:00Z","detail":{"seats":3}})");
}

CAF_TEST(map and struct keys are sorted) {
  api::v1::License license;
  for (auto key : {"sso", "audit", "b", "a", "\xc3\xa9", "A"}) {
    (*license.mutable_features())[key] = true;
  }
  auto json = our_json(license);
  CAF_CHECK_NOT_EQUAL(
    json.find(R"("features":{"A":true,"a":true,"audit":true,"b":true,"sso":true,"é":true})"),
    std::string::npos);
  pb::Struct claims;
  auto& fields = *claims.mutable_fields();
  fields["typ"].set_string_value("JWT");
  fields["alg"].set_string_value("EdDSA");
  fields["kid"].set_string_value("k1");
  auto& nested = *fields["nested"].mutable_struct_value()->mutable_fields();
  nested["z"].set_string_value("k1");
  nested["y"].set_bool_value(false);
  CAF_CHECK_EQUAL(our_json(claims),
                  R"({"alg":"EdDSA","kid":"k1","nested":{"y":false,"z":"k1"},"typ":"JWT"})");
}

CAF_TEST(timestamps print as protobuf prints them) {
  for (auto [seconds, nanos] :
       std::vector<std::pair<int64_t, int32_t>>{{0, 0},
                                                {1'700'000'000, 1},
                                                {1'700'000'000, 10},
                                                {1'700'000'000, 1'000},
                                                {1'700'000'000, 1'000'000},
                                                {1'700'000'000, 120'000'000},
                                                {1'700'000'000, 999'999'999},
                                                {-1, 500},
                                                {-62'135'596'800, 0},
                                                {253'402'300'799, 999'999'999}}) {
    api::v1::RefreshResponse refresh;
    refresh.set_access_token("t");
    refresh.mutable_expires_at()->set_seconds(seconds);
    refresh.mutable_expires_at()->set_nanos(nanos);
    CAF_CHECK_EQUAL(our_json(refresh), protobuf_json(refresh));
  }
  api::v1::RefreshResponse refresh;
  refresh.mutable_expires_at()->set_seconds(1'700'000'000);
  refresh.mutable_expires_at()->set_nanos(120'000'000);
  CAF_CHECK_EQUAL(our_json(refresh),
                  R"({"access_token":"","expires_at":"2023-11-14T22:13:20.120Z"})");
}

CAF_TEST(a time outside the years 1 to 9999 cannot be written) {
  for (auto [seconds, nanos] : std::vector<std::pair<int64_t, int32_t>>{
         {-62'135'596'801, 0}, {253'402'300'800, 0}, {0, -1}, {0, 1'000'000'000}}) {
    api::v1::LicenseList list;
    auto* license = list.add_licenses();
    license->mutable_created_at()->set_seconds(seconds);
    license->mutable_created_at()->set_nanos(nanos);
    std::string out;
    auto err = append_json(list, out);
    CAF_REQUIRE(err);
    CAF_CHECK_EQUAL(*err, "leasehold.api.v1.LicenseList.licenses: "
                          "leasehold.api.v1.License.created_at: "
                          "the time is outside the years 1..9999");
  }
}

CAF_TEST(enums print by name or by number) {
  auto msg = make(all);
  auto* refl = msg->GetReflection();
  refl->SetEnumValue(msg.get(), all->FindFieldByName("color"), 2);
  refl->AddEnumValue(msg.get(), all->FindFieldByName("colors"), 1);
  refl->AddEnumValue(msg.get(), all->FindFieldByName("colors"), 7);
  auto json = our_json(*msg);
  CAF_CHECK_NOT_EQUAL(json.find(R"("color":"GREEN")"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(json.find(R"("colors":["RED",7])"), std::string::npos);
  CAF_CHECK(boost::json::parse(json) == boost::json::parse(protobuf_json(*msg)));
}

CAF_TEST(bytes and other well known types are refused) {
  // Bytes are written even when empty (a scalar); a Duration only when set.
  auto msg = make(odd);
  std::string out;
  auto err = append_json(*msg, out);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "cannot write the bytes field test.Odd.raw as JSON");
  msg->GetReflection()->MutableMessage(msg.get(), odd->FindFieldByName("took"));
  out.clear();
  err = append_json(*msg, out);
  CAF_REQUIRE(err);
  CAF_CHECK_EQUAL(*err, "test.Odd.took: cannot write a google.protobuf.Duration as JSON");
}

CAF_TEST_FIXTURE_SCOPE_END()
