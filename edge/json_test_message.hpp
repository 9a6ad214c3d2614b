#pragma once

// For the JSON codec's tests: message types with the field types the API's protos do not
// use (yet), built at run time.

#include <caf/test/unit_test.hpp>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/timestamp.pb.h>

#include <memory>

namespace leasehold::edge::testing {

//   enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
//   message Inner { string name = 1; uint32 count = 2; }
//   message All {
//     int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; double d = 5;
//     float f = 6; bool b = 7; string s = 8; Color color = 9; Inner inner = 10;
//     repeated int32 numbers = 11; repeated Inner inners = 12; map<string, bool> flags = 13;
//     map<int32, string> names = 14; google.protobuf.Timestamp at = 15;
//     google.protobuf.Struct st = 16; google.protobuf.Value v = 17;
//     google.protobuf.ListValue list = 18; repeated google.protobuf.Value values = 19;
//     oneof choice { string left = 20; string right = 21; }
//     optional int32 maybe = 22; repeated Color colors = 23; map<string, Inner> inner_map = 24;
//     repeated string tags = 25; map<string, google.protobuf.Value> value_map = 26;
//   }
//   message Odd { google.protobuf.Duration took = 1; bytes raw = 2; }
constexpr const char* test_proto = R"(
  name: "json_codec_test.proto" package: "test" syntax: "proto3"
  dependency: "google/protobuf/timestamp.proto"
  dependency: "google/protobuf/struct.proto"
  dependency: "google/protobuf/duration.proto"
  enum_type { name: "Color" value { name: "COLOR_UNSPECIFIED" number: 0 }
              value { name: "RED" number: 1 } value { name: "GREEN" number: 2 } }
  message_type { name: "Inner"
    field { name: "name" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "count" number: 2 type: TYPE_UINT32 label: LABEL_OPTIONAL } }
  message_type { name: "All"
    field { name: "i32" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
    field { name: "i64" number: 2 type: TYPE_INT64 label: LABEL_OPTIONAL }
    field { name: "u32" number: 3 type: TYPE_UINT32 label: LABEL_OPTIONAL }
    field { name: "u64" number: 4 type: TYPE_UINT64 label: LABEL_OPTIONAL }
    field { name: "d" number: 5 type: TYPE_DOUBLE label: LABEL_OPTIONAL }
    field { name: "f" number: 6 type: TYPE_FLOAT label: LABEL_OPTIONAL }
    field { name: "b" number: 7 type: TYPE_BOOL label: LABEL_OPTIONAL }
    field { name: "s" number: 8 type: TYPE_STRING label: LABEL_OPTIONAL }
    field { name: "color" number: 9 type: TYPE_ENUM type_name: ".test.Color"
            label: LABEL_OPTIONAL }
    field { name: "inner" number: 10 type: TYPE_MESSAGE type_name: ".test.Inner"
            label: LABEL_OPTIONAL }
    field { name: "numbers" number: 11 type: TYPE_INT32 label: LABEL_REPEATED }
    field { name: "inners" number: 12 type: TYPE_MESSAGE type_name: ".test.Inner"
            label: LABEL_REPEATED }
    field { name: "flags" number: 13 type: TYPE_MESSAGE type_name: ".test.All.FlagsEntry"
            label: LABEL_REPEATED }
    field { name: "names" number: 14 type: TYPE_MESSAGE type_name: ".test.All.NamesEntry"
            label: LABEL_REPEATED }
    field { name: "at" number: 15 type: TYPE_MESSAGE
            type_name: ".google.protobuf.Timestamp" label: LABEL_OPTIONAL }
    field { name: "st" number: 16 type: TYPE_MESSAGE type_name: ".google.protobuf.Struct"
            label: LABEL_OPTIONAL }
    field { name: "v" number: 17 type: TYPE_MESSAGE type_name: ".google.protobuf.Value"
            label: LABEL_OPTIONAL }
    field { name: "list" number: 18 type: TYPE_MESSAGE
            type_name: ".google.protobuf.ListValue" label: LABEL_OPTIONAL }
    field { name: "values" number: 19 type: TYPE_MESSAGE
            type_name: ".google.protobuf.Value" label: LABEL_REPEATED }
    field { name: "left" number: 20 type: TYPE_STRING label: LABEL_OPTIONAL oneof_index: 0 }
    field { name: "right" number: 21 type: TYPE_STRING label: LABEL_OPTIONAL oneof_index: 0 }
    field { name: "maybe" number: 22 type: TYPE_INT32 label: LABEL_OPTIONAL oneof_index: 1
            proto3_optional: true }
    field { name: "colors" number: 23 type: TYPE_ENUM type_name: ".test.Color"
            label: LABEL_REPEATED }
    field { name: "inner_map" number: 24 type: TYPE_MESSAGE
            type_name: ".test.All.InnerMapEntry" label: LABEL_REPEATED }
    field { name: "tags" number: 25 type: TYPE_STRING label: LABEL_REPEATED }
    field { name: "value_map" number: 26 type: TYPE_MESSAGE
            type_name: ".test.All.ValueMapEntry" label: LABEL_REPEATED }
    nested_type { name: "FlagsEntry" options { map_entry: true }
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_BOOL label: LABEL_OPTIONAL } }
    nested_type { name: "NamesEntry" options { map_entry: true }
      field { name: "key" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL } }
    nested_type { name: "InnerMapEntry" options { map_entry: true }
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_MESSAGE type_name: ".test.Inner"
              label: LABEL_OPTIONAL } }
    nested_type { name: "ValueMapEntry" options { map_entry: true }
      field { name: "key" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
      field { name: "value" number: 2 type: TYPE_MESSAGE type_name: ".google.protobuf.Value"
              label: LABEL_OPTIONAL } }
    oneof_decl { name: "choice" }
    oneof_decl { name: "_maybe" } }
  message_type { name: "Odd"
    field { name: "took" number: 1 type: TYPE_MESSAGE type_name: ".google.protobuf.Duration"
            label: LABEL_OPTIONAL }
    field { name: "raw" number: 2 type: TYPE_BYTES label: LABEL_OPTIONAL } }
)";

/// The types of test_proto. Their well-known fields are the generated classes (the pool sits
/// on top of the generated one), as in the API's messages.
struct test_types {
  google::protobuf::DescriptorPool pool{google::protobuf::DescriptorPool::generated_pool()};
  google::protobuf::DynamicMessageFactory factory{&pool};
  const google::protobuf::Descriptor* all = nullptr;
  const google::protobuf::Descriptor* odd = nullptr;

  test_types() {
    // Loads the well-known files into the generated pool.
    static_cast<void>(google::protobuf::Timestamp::descriptor());
    static_cast<void>(google::protobuf::Struct::descriptor());
    static_cast<void>(google::protobuf::Duration::descriptor());
    factory.SetDelegateToGeneratedFactory(true);
    google::protobuf::FileDescriptorProto file;
    CAF_REQUIRE(google::protobuf::TextFormat::ParseFromString(test_proto, &file));
    auto* built = pool.BuildFile(file);
    CAF_REQUIRE(built != nullptr);
    all = built->FindMessageTypeByName("All");
    odd = built->FindMessageTypeByName("Odd");
  }

  std::unique_ptr<google::protobuf::Message> make(const google::protobuf::Descriptor* d) {
    return std::unique_ptr<google::protobuf::Message>(factory.GetPrototype(d)->New());
  }
};

} // namespace leasehold::edge::testing
