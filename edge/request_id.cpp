#include "edge/request_id.hpp"

#include "edge/crypto/random.hpp"

#include <cstring>
#include <random>

namespace leasehold::edge {

namespace {

std::mt19937_64 seeded_generator() {
  auto seed = crypto::random_bytes(sizeof(uint64_t) * 4);
  uint32_t words[8];
  std::memcpy(words, seed.data(), sizeof(words));
  std::seed_seq seq(std::begin(words), std::end(words));
  return std::mt19937_64{seq};
}

} // namespace

std::string new_request_id() {
  thread_local auto gen = seeded_generator();
  uint64_t halves[2] = {gen(), gen()};
  return crypto::format_uuid_v4(reinterpret_cast<const unsigned char*>(halves));
}

} // namespace leasehold::edge
