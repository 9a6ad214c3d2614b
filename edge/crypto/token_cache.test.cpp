#define CAF_SUITE crypto.token_cache

#include "edge/crypto/token_cache.hpp"

#include <caf/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace leasehold;
using namespace leasehold::crypto;

namespace {

edge::bearer_ptr claims(const std::string& jti, int64_t expires_at) {
  edge::bearer x;
  x.who.tenant_id = "t1";
  x.who.user_id = "u1";
  x.who.user_email = "a@example.com";
  x.who.user_role = role::admin;
  x.jti = jti;
  x.expires_at = expires_at;
  return std::make_shared<const edge::bearer>(std::move(x));
}

} // namespace

CAF_TEST(a cached token is found with its claims) {
  token_cache cache{100};
  cache.insert("tok-1", claims("j1", 200));
  auto hit = cache.find("tok-1", 100);
  CAF_REQUIRE(hit);
  CAF_CHECK_EQUAL(hit->jti, "j1");
  CAF_CHECK_EQUAL(hit->who.user_email, "a@example.com");
  CAF_CHECK(hit->who.user_role == role::admin);
  CAF_CHECK(!cache.find("tok-2", 100));
}

CAF_TEST(an expired entry is not returned and is dropped) {
  token_cache cache{100};
  cache.insert("tok-1", claims("j1", 200));
  CAF_CHECK(cache.find("tok-1", 199));
  CAF_CHECK(!cache.find("tok-1", 200));
  CAF_CHECK_EQUAL(cache.size(), 0u);
}

CAF_TEST(the cache never holds more than its capacity) {
  token_cache cache{64};
  CAF_CHECK_LESS_OR_EQUAL(cache.capacity(), 64u);
  for (int i = 0; i < 10000; ++i) {
    cache.insert("tok-" + std::to_string(i), claims("j", 1000));
    CAF_REQUIRE_LESS_OR_EQUAL(cache.size(), 64u);
  }
  CAF_CHECK_EQUAL(cache.size(), cache.capacity());
}

CAF_TEST(a single shard evicts the least recently used entry) {
  token_cache cache{2, 1};
  cache.insert("a", claims("ja", 1000));
  cache.insert("b", claims("jb", 1000));
  CAF_CHECK(cache.find("a", 0)); // a is now the most recently used
  cache.insert("c", claims("jc", 1000));
  CAF_CHECK(cache.find("a", 0));
  CAF_CHECK(!cache.find("b", 0));
  CAF_CHECK(cache.find("c", 0));
}

CAF_TEST(inserting a token twice keeps one entry) {
  token_cache cache{10, 1};
  cache.insert("a", claims("ja", 1000));
  cache.insert("a", claims("ja", 1000));
  CAF_CHECK_EQUAL(cache.size(), 1u);
}

CAF_TEST(a capacity below the shard count still bounds the cache) {
  token_cache cache{3};
  for (int i = 0; i < 100; ++i) {
    cache.insert(std::to_string(i), claims("j", 1000));
  }
  CAF_CHECK_LESS_OR_EQUAL(cache.size(), 3u);
  CAF_CHECK_GREATER(cache.size(), 0u);
}

CAF_TEST(concurrent inserts and lookups keep the bound) {
  token_cache cache{256};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        auto token = std::to_string(t) + "-" + std::to_string(i % 300);
        if (!cache.find(token, 0)) {
          cache.insert(token, claims(token, 1000));
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  CAF_CHECK_LESS_OR_EQUAL(cache.size(), 256u);
}
