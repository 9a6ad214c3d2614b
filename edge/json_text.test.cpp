#define CAF_SUITE edge.json_text

#include "edge/json_text.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace leasehold::edge;

namespace pb = google::protobuf;

namespace {

// Protobuf's JSON printer, which these functions follow byte for byte. A wrapper at the top
// prints as its bare value.
std::string protobuf_json(const pb::Message& msg) {
  std::string out;
  auto status = pb::util::MessageToJsonString(msg, &out);
  if (!status.ok()) {
    CAF_FAIL("Protobuf cannot print " << msg.ShortDebugString() << ": " << status.ToString());
  }
  return out;
}

/// `x` as Protobuf prints it inside the wrapper type `Wrapper` (StringValue, DoubleValue...).
template <class Wrapper, class T> std::string protobuf_value(const T& x) {
  Wrapper w;
  w.set_value(x);
  return protobuf_json(w);
}

/// `x` as `append` (one of the json_text functions) writes it.
template <class T, class Append> std::string ours(Append append, const T& x) {
  std::string out;
  append(x, out);
  return out;
}

std::string protobuf_string(const std::string& text) {
  return protobuf_value<pb::StringValue>(text);
}

std::string our_string(const std::string& text) { return ours(append_json_string, text); }

std::string protobuf_double(double x) { return protobuf_value<pb::DoubleValue>(x); }

std::string our_double(double x) { return ours(append_json_double, x); }

std::string protobuf_float(float x) { return protobuf_value<pb::FloatValue>(x); }

std::string our_float(float x) { return ours(append_json_float, x); }

std::string utf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return out;
}

} // namespace

CAF_TEST(every code point is escaped as protobuf escapes it) {
  // In blocks of 256 code points, so that a failure shows a short text.
  size_t mismatches = 0;
  for (uint32_t block = 0; block < 0x110000; block += 0x100) {
    std::string text = "<";
    for (uint32_t cp = block; cp < block + 0x100; ++cp) {
      if (cp < 0xd800 || cp > 0xdfff) {
        text += utf8(cp);
      }
    }
    if (our_string(text) != protobuf_string(text) && ++mismatches <= 3) {
      CAF_ERROR("block " << block << ": " << our_string(text) << " != " << protobuf_string(text));
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
  CAF_CHECK_EQUAL(our_string("a\"b\\c/d<e>f&g'\x7f\t\n\r\b\f\x01"),
                  R"("a\"b\\c/d\u003ce\u003ef&g'\u007f\t\n\r\b\f\u0001")");
  CAF_CHECK_EQUAL(our_string(std::string("\0", 1)), R"("\u0000")");
  CAF_CHECK_EQUAL(our_string("\xe2\x80\xa8\xf0\x9d\x85\xb3"), R"("\u2028\ud834\udd73")");
  CAF_CHECK_EQUAL(our_string(""), R"("")");
}

CAF_TEST(invalid utf8 is dropped as protobuf drops it) {
  // Protobuf logs these as it serializes the message; the output is what matters here.
  std::vector<std::string> cases = {"\xff",
                                    "\x80",
                                    "a\xc3",
                                    "\xc3(",
                                    "x\xe2\x80(y",
                                    "\xe2\x28\xa1",
                                    "\xf0\x9f\x98",
                                    "\xf0\x9f\x98(",
                                    "\xed\xa0\x80|",
                                    "\xf4\x90\x80\x80|",
                                    "\xf8\x88\x80\x80\x80",
                                    "\xc0\xaf",
                                    "\xc0\x80",
                                    "\xc0\xa2",
                                    "\xe0\x80\xaf",
                                    "ok\xffok\xc3\xa9",
                                    "\xc1\xbf",
                                    "\xfe\xfe"};
  for (const auto& text : cases) {
    CAF_CHECK_EQUAL(our_string(text), protobuf_string(text));
  }
  CAF_CHECK_EQUAL(our_string("bad\xc3"
                             "A|\xff|end"),
                  R"("bad||end")");
}

CAF_TEST(doubles have protobuf digits) {
  using limits = std::numeric_limits<double>;
  std::vector<double> cases = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               0.1,
                               1.0 / 3,
                               100.0,
                               1e15,
                               1e16,
                               1e20,
                               1e21,
                               1e-7,
                               2.5,
                               1e300,
                               123456789012345678.0,
                               9007199254740993.0,
                               1700000000.0,
                               limits::min(),
                               limits::denorm_min(),
                               limits::max(),
                               limits::lowest(),
                               limits::epsilon()};
  std::mt19937_64 random{20240601};
  for (int i = 0; i < 20000; ++i) {
    auto bits = random();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isnan(x)) {
      cases.push_back(x);
    }
  }
  for (int i = 0; i < 2000; ++i) {
    cases.push_back(static_cast<double>(random() % 100000) / 100.0);
  }
  size_t mismatches = 0;
  for (auto x : cases) {
    if (our_double(x) != protobuf_double(x) && ++mismatches <= 5) {
      CAF_ERROR(our_double(x) << " != " << protobuf_double(x));
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
  CAF_CHECK_EQUAL(our_double(0.1), "0.1");
  CAF_CHECK_EQUAL(our_double(1.0 / 3), "0.33333333333333331");
  CAF_CHECK_EQUAL(our_double(1e21), "1e+21");
  CAF_CHECK_EQUAL(our_double(std::nan("")), R"("NaN")");
  CAF_CHECK_EQUAL(our_double(limits::infinity()), R"("Infinity")");
  CAF_CHECK_EQUAL(our_double(-limits::infinity()), R"("-Infinity")");
}

CAF_TEST(floats have protobuf digits) {
  std::vector<float> cases = {0.0f, -0.0f, 0.1f, 1.0f / 3, 3.4e38f, 1e-45f, 16777217.0f};
  std::mt19937 random{20240602};
  for (int i = 0; i < 20000; ++i) {
    auto bits = static_cast<uint32_t>(random());
    float x = 0;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isnan(x)) {
      cases.push_back(x);
    }
  }
  size_t mismatches = 0;
  for (auto x : cases) {
    if (our_float(x) != protobuf_float(x) && ++mismatches <= 5) {
      CAF_ERROR(our_float(x) << " != " << protobuf_float(x));
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
}

CAF_TEST(timestamps have protobuf digits) {
  using pb::util::TimeUtil;
  std::vector<std::pair<int64_t, int32_t>> cases = {{0, 0},
                                                    {-1, 0},
                                                    {-1, 999'999'999},
                                                    {-86'400, 1},
                                                    {951'782'400, 0},    // 2000-02-29
                                                    {4'107'542'400, 0},  // 2100-03-01
                                                    {-2'203'891'200, 0}, // 1900-03-01
                                                    {TimeUtil::kTimestampMinSeconds, 0},
                                                    {TimeUtil::kTimestampMaxSeconds, 999'999'999},
                                                    {1'700'000'000, 100'000'000},
                                                    {1'700'000'000, 120'000},
                                                    {1'700'000'000, 123'456'789}};
  std::mt19937_64 random{20240603};
  const int32_t nanos[] = {0, 5'000'000, 7'000, 3};
  for (int i = 0; i < 20000; ++i) {
    auto span =
      static_cast<uint64_t>(TimeUtil::kTimestampMaxSeconds - TimeUtil::kTimestampMinSeconds);
    auto seconds = TimeUtil::kTimestampMinSeconds + static_cast<int64_t>(random() % (span + 1));
    cases.emplace_back(seconds, nanos[i % 4]);
  }
  size_t mismatches = 0;
  for (auto [seconds, fraction] : cases) {
    pb::Timestamp x;
    x.set_seconds(seconds);
    x.set_nanos(fraction);
    std::string ours;
    CAF_REQUIRE(append_json_timestamp(seconds, fraction, ours));
    auto theirs = '"' + TimeUtil::ToString(x) + '"';
    if (ours != theirs && ++mismatches <= 5) {
      CAF_ERROR(ours << " != " << theirs);
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
  std::string out;
  CAF_CHECK(append_json_timestamp(1'795'255'200, 120'000'000, out));
  CAF_CHECK_EQUAL(out, R"("2026-11-21T10:00:00.120Z")");
}

CAF_TEST(timestamps outside the years 1 to 9999 are refused) {
  std::string out;
  CAF_CHECK(!append_json_timestamp(-62'135'596'801, 0, out));
  CAF_CHECK(!append_json_timestamp(253'402'300'800, 0, out));
  CAF_CHECK(!append_json_timestamp(0, -1, out));
  CAF_CHECK(!append_json_timestamp(0, 1'000'000'000, out));
  CAF_CHECK_EQUAL(out, "");
}

CAF_TEST(objects are written member by member with escaped names) {
  std::string out;
  json_object_writer object{out};
  object.member("a\"b") += "1";
  append_json_flags({{"z", false}, {"b", true}}, object.member("flags"));
  object.close();
  CAF_CHECK_EQUAL(out, R"({"a\"b":1,"flags":{"b":true,"z":false}})");
}

CAF_TEST(an object without members is a pair of braces) {
  std::string out;
  append_json_flags({}, out);
  CAF_CHECK_EQUAL(out, "{}");
}
