#define CAF_SUITE persistence.pg_array

#include "persistence/pg_array.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>

using namespace leasehold::persistence;
using namespace std::string_literals;

namespace {

// Big-endian bytes, as the binary format writes integers.
std::string int32_bytes(int32_t x) {
  auto u = static_cast<uint32_t>(x);
  return {static_cast<char>(u >> 24), static_cast<char>((u >> 16) & 0xff),
          static_cast<char>((u >> 8) & 0xff), static_cast<char>(u & 0xff)};
}

std::string header(pg_type element, int32_t size, bool has_null) {
  return int32_bytes(1) + int32_bytes(has_null ? 1 : 0) +
         int32_bytes(static_cast<int32_t>(element)) + int32_bytes(size) + int32_bytes(1);
}

} // namespace

CAF_TEST(an empty array has no dimensions) {
  pg_array arr{pg_type::uuid};
  CAF_CHECK_EQUAL(arr.take(), int32_bytes(0) + int32_bytes(0) + int32_bytes(2950));
}

CAF_TEST(integers and NULLs carry their lengths) {
  pg_array arr{pg_type::int4};
  arr.add(int64_t{258});
  arr.add(pg_value{});
  CAF_CHECK_EQUAL(arr.size(), 2u);
  CAF_CHECK_EQUAL(arr.take(), header(pg_type::int4, 2, true) + int32_bytes(4) + int32_bytes(258) +
                                int32_bytes(-1));
}

CAF_TEST(uuids go as their sixteen bytes) {
  pg_array arr{pg_type::uuid};
  arr.add(std::string_view{"00112233-4455-6677-8899-AaBbCcDdEeFf"});
  CAF_CHECK_EQUAL(arr.take(),
                  header(pg_type::uuid, 1, false) + int32_bytes(16) +
                    "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"s);
}

CAF_TEST(text that is no uuid goes as it is for the server to refuse) {
  pg_array arr{pg_type::uuid};
  arr.add(std::string_view{"acme"});
  CAF_CHECK_EQUAL(arr.take(), header(pg_type::uuid, 1, false) + int32_bytes(4) + "acme");
}

CAF_TEST(times count microseconds from 2000) {
  pg_array arr{pg_type::timestamptz};
  arr.add(caf::timestamp{std::chrono::seconds{946684800} + std::chrono::microseconds{1}});
  CAF_CHECK_EQUAL(arr.take(), header(pg_type::timestamptz, 1, false) + int32_bytes(8) +
                                int32_bytes(0) + int32_bytes(1));
}

CAF_TEST(text is raw and jsonb carries its version byte) {
  pg_array texts{pg_type::text};
  texts.add(std::string{"a\"b"});
  CAF_CHECK_EQUAL(texts.take(), header(pg_type::text, 1, false) + int32_bytes(3) + "a\"b");
  pg_array docs{pg_type::jsonb};
  docs.add(std::string_view{"{}"});
  CAF_CHECK_EQUAL(docs.take(), header(pg_type::jsonb, 1, false) + int32_bytes(3) + "\1{}");
}

CAF_TEST(take leaves an empty builder) {
  pg_array arr{pg_type::boolean};
  arr.add(true);
  CAF_CHECK_EQUAL(arr.take(), header(pg_type::boolean, 1, false) + int32_bytes(1) + "\1");
  arr.add(false);
  CAF_CHECK_EQUAL(arr.size(), 1u);
  CAF_CHECK_EQUAL(arr.take(), header(pg_type::boolean, 1, false) + int32_bytes(1) + "\0"s);
}
