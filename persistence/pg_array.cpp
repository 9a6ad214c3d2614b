#include "persistence/pg_array.hpp"

#include "actors/uuid.hpp"
#include "persistence/pg.hpp"

#include <chrono>

namespace leasehold::persistence {

namespace {

// PostgreSQL counts times in microseconds from 2000-01-01 00:00:00 UTC.
constexpr int64_t pg_epoch_micros = 946684800LL * 1000000;

// Big-endian, as the binary format wants; one append per value.
template <class Unsigned> void put_big_endian(std::string& out, Unsigned u) {
  char bytes[sizeof(Unsigned)];
  for (size_t i = 0; i < sizeof(Unsigned); ++i) {
    bytes[i] = static_cast<char>((u >> (8 * (sizeof(Unsigned) - 1 - i))) & 0xff);
  }
  out.append(bytes, sizeof(bytes));
}

void put_int32(std::string& out, int32_t x) { put_big_endian(out, static_cast<uint32_t>(x)); }

void put_int64(std::string& out, int64_t x) { put_big_endian(out, static_cast<uint64_t>(x)); }

} // namespace

void pg_array::add(const pg_value& x) {
  ++size_;
  if (auto text = std::get_if<std::string_view>(&x)) {
    add_text(*text);
  } else if (auto owned = std::get_if<std::string>(&x)) {
    add_text(*owned);
  } else if (auto at = std::get_if<caf::timestamp>(&x)) {
    add_timestamp(*at);
  } else if (auto number = std::get_if<int64_t>(&x)) {
    add_integer(*number);
  } else if (auto flag = std::get_if<bool>(&x)) {
    add_boolean(*flag);
  } else {
    has_null_ = true;
    put_int32(elements_, -1);
  }
}

void pg_array::add_text(std::string_view x) {
  if (element_ == pg_type::uuid) {
    if (auto bits = parse_uuid(x)) {
      put_int32(elements_, 16);
      put_big_endian(elements_, bits->high);
      put_big_endian(elements_, bits->low);
      return;
    }
  }
  auto jsonb = element_ == pg_type::jsonb;
  put_int32(elements_, static_cast<int32_t>(x.size() + (jsonb ? 1 : 0)));
  if (jsonb) {
    elements_ += '\1'; // the jsonb binary format's version
  }
  elements_.append(x);
}

void pg_array::add_timestamp(caf::timestamp x) {
  using namespace std::chrono;
  put_int32(elements_, 8);
  put_int64(elements_, duration_cast<microseconds>(x.time_since_epoch()).count() - pg_epoch_micros);
}

void pg_array::add_integer(int64_t x) {
  put_int32(elements_, 4);
  put_int32(elements_, static_cast<int32_t>(x));
}

void pg_array::add_boolean(bool x) {
  put_int32(elements_, 1);
  elements_ += x ? '\1' : '\0';
}

std::string pg_array::take() {
  std::string out;
  out.reserve(20 + elements_.size());
  put_int32(out, size_ == 0 ? 0 : 1); // dimensions
  put_int32(out, has_null_ ? 1 : 0);
  put_int32(out, static_cast<int32_t>(element_));
  if (size_ > 0) {
    put_int32(out, static_cast<int32_t>(size_));
    put_int32(out, 1); // lower bound
  }
  out += elements_;
  elements_.clear();
  size_ = 0;
  has_null_ = false;
  return out;
}

} // namespace leasehold::persistence
