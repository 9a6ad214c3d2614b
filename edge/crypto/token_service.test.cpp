#define CAF_SUITE crypto.token_service

#include "edge/crypto/token_service.hpp"

#include "actors/errc.hpp"
#include "edge/crypto/base64url.hpp"
#include "edge/crypto/jwt.hpp"

#include <caf/test/unit_test.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace leasehold;
using namespace leasehold::crypto;
using namespace std::chrono_literals;

namespace {

constexpr int64_t start = 1'800'000'000;

caller alice() {
  caller who;
  who.tenant_id = "tenant-1";
  who.user_id = "user-1";
  who.user_email = "alice@example.com";
  who.user_role = role::owner;
  return who;
}

lease some_lease() {
  lease l;
  l.tenant_id = "tenant-1";
  l.license_id = "license-1";
  l.session_id = "session-1";
  l.user_id = "user-1";
  l.hardware_id = "hw-1";
  l.issued_at = caf::timestamp{std::chrono::seconds{start}};
  l.offline_grace = 259200;
  l.tier = license_tier::pro;
  l.features = {{"export", true}, {"beta", false}};
  return l;
}

google::protobuf::Struct payload_of(const std::string& token) {
  auto first = token.find('.');
  auto json = base64url_decode(token.substr(first + 1, token.rfind('.') - first - 1));
  google::protobuf::Struct out;
  CAF_REQUIRE(json);
  CAF_REQUIRE(google::protobuf::util::JsonStringToMessage(*json, &out).ok());
  return out;
}

struct fixture {
  std::shared_ptr<std::atomic<int64_t>> clock = std::make_shared<std::atomic<int64_t>>(start);
  signing_key key = signing_key::generate();

  token_service_options options(size_t capacity = 1000) {
    token_service_options opts;
    opts.cache_capacity = capacity;
    opts.clock = [c = clock] { return c->load(); };
    return opts;
  }

  token_service tokens{{key}, "https://leasehold.test", 3600s, options()};

  bool unauthorized(std::string_view token) {
    auto result = tokens.verify_access_token(token);
    return !result && is_errc(result.error(), errc::unauthorized);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(token_service_tests, fixture)

CAF_TEST(an issued access token verifies to its caller) {
  auto issued = tokens.issue_access_token(alice());
  CAF_CHECK_EQUAL(issued.expires_at, start + 3600);
  CAF_CHECK_EQUAL(issued.jti.size(), 36u);
  auto result = tokens.verify_access_token(issued.token);
  CAF_REQUIRE(result);
  CAF_CHECK_EQUAL((*result)->who.tenant_id, "tenant-1");
  CAF_CHECK_EQUAL((*result)->who.user_id, "user-1");
  CAF_CHECK_EQUAL((*result)->who.user_email, "alice@example.com");
  CAF_CHECK((*result)->who.user_role == role::owner);
  CAF_CHECK_EQUAL((*result)->jti, issued.jti);
  CAF_CHECK_EQUAL((*result)->expires_at, issued.expires_at);
}

CAF_TEST(an access token carries the claims of the API) {
  auto issued = tokens.issue_access_token(alice());
  auto claims = payload_of(issued.token);
  CAF_CHECK_EQUAL(*string_claim(claims, "iss"), "https://leasehold.test");
  CAF_CHECK_EQUAL(*string_claim(claims, "sub"), "user-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "tid"), "tenant-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "role"), "owner");
  CAF_CHECK_EQUAL(*string_claim(claims, "email"), "alice@example.com");
  CAF_CHECK_EQUAL(*string_claim(claims, "jti"), issued.jti);
  CAF_CHECK_EQUAL(*string_claim(claims, "typ"), "access");
  CAF_CHECK_EQUAL(integer_claim(claims, "iat"), start);
  CAF_CHECK_EQUAL(integer_claim(claims, "exp"), start + 3600);
}

CAF_TEST(every access token gets its own jti) {
  auto a = tokens.issue_access_token(alice());
  auto b = tokens.issue_access_token(alice());
  CAF_CHECK_NOT_EQUAL(a.jti, b.jti);
  CAF_CHECK_NOT_EQUAL(a.token, b.token);
}

CAF_TEST(a verified token is served from the cache without another signature check) {
  auto issued = tokens.issue_access_token(alice());
  CAF_REQUIRE(tokens.verify_access_token(issued.token));
  CAF_CHECK_EQUAL(tokens.stats().signature_checks, 1u);
  for (int i = 0; i < 100; ++i) {
    CAF_REQUIRE(tokens.verify_access_token(issued.token));
  }
  auto st = tokens.stats();
  CAF_CHECK_EQUAL(st.signature_checks, 1u);
  CAF_CHECK_EQUAL(st.cache_hits, 100u);
  CAF_CHECK_EQUAL(st.cache_misses, 1u);
  CAF_CHECK_EQUAL(st.cached_tokens, 1u);
}

CAF_TEST(a revoked token fails at once even when cached) {
  auto issued = tokens.issue_access_token(alice());
  CAF_REQUIRE(tokens.verify_access_token(issued.token));
  CAF_REQUIRE(tokens.verify_access_token(issued.token)); // now a cache hit
  tokens.revoke(issued.jti, issued.expires_at);
  CAF_CHECK(unauthorized(issued.token));
  CAF_CHECK_EQUAL(tokens.stats().revoked_tokens, 1u);
  // Other tokens of the same user are unaffected.
  auto other = tokens.issue_access_token(alice());
  CAF_CHECK(tokens.verify_access_token(other.token));
}

CAF_TEST(a token revoked before its first use is rejected) {
  auto issued = tokens.issue_access_token(alice());
  tokens.revoke(issued.jti, issued.expires_at);
  CAF_CHECK(unauthorized(issued.token));
  CAF_CHECK_EQUAL(tokens.stats().cached_tokens, 0u);
}

CAF_TEST(an expired token is rejected whether cached or not ) {
  auto cached = tokens.issue_access_token(alice());
  auto fresh = tokens.issue_access_token(alice());
  CAF_REQUIRE(tokens.verify_access_token(cached.token));
  *clock = start + 3599;
  CAF_CHECK(tokens.verify_access_token(cached.token));
  *clock = start + 3600;
  CAF_CHECK(unauthorized(cached.token));
  CAF_CHECK(unauthorized(fresh.token));
}

CAF_TEST(a lease token presented as a bearer is rejected) {
  auto lease_token = tokens.issue_lease_token(some_lease());
  CAF_CHECK(unauthorized(lease_token));
  CAF_CHECK_EQUAL(tokens.stats().cached_tokens, 0u);
}

CAF_TEST(a token of another issuer or an unknown key is rejected) {
  token_service other{{key}, "https://elsewhere.test", 3600s, options()};
  CAF_CHECK(unauthorized(other.issue_access_token(alice()).token));
  token_service stranger{{signing_key::generate()}, "https://leasehold.test", 3600s, options()};
  CAF_CHECK(unauthorized(stranger.issue_access_token(alice()).token));
}

CAF_TEST(tampered alg none and garbage tokens are rejected) {
  auto issued = tokens.issue_access_token(alice());
  auto second = issued.token.rfind('.');
  auto none = issued.token.substr(0, issued.token.find('.'));
  none = base64url_encode(R"({"alg":"none","typ":"JWT","kid":")" + key.kid() + R"("})") +
         issued.token.substr(none.size(), second - none.size()) + ".";
  CAF_CHECK(unauthorized(none));
  auto tampered = issued.token;
  tampered[second - 2] = tampered[second - 2] == 'A' ? 'B' : 'A';
  CAF_CHECK(unauthorized(tampered));
  CAF_CHECK(unauthorized(""));
  CAF_CHECK(unauthorized("Bearer x"));
  CAF_CHECK_EQUAL(tokens.stats().cached_tokens, 0u);
}

CAF_TEST(a token with a role outside the API is rejected) {
  google::protobuf::Struct claims;
  auto& f = *claims.mutable_fields();
  f["iss"].set_string_value("https://leasehold.test");
  f["sub"].set_string_value("user-1");
  f["tid"].set_string_value("tenant-1");
  f["role"].set_string_value("root");
  f["email"].set_string_value("a@example.com");
  f["jti"].set_string_value("j");
  f["typ"].set_string_value("access");
  f["iat"].set_number_value(static_cast<double>(start));
  f["exp"].set_number_value(static_cast<double>(start + 60));
  CAF_CHECK(unauthorized(sign_jwt(claims, key)));
  f["role"].set_string_value("member");
  CAF_CHECK(tokens.verify_access_token(sign_jwt(claims, key)));
  f.erase("tid");
  CAF_CHECK(unauthorized(sign_jwt(claims, key)));
}

CAF_TEST(the cache bound holds under many distinct tokens) {
  token_service small{{key}, "https://leasehold.test", 3600s, options(32)};
  for (int i = 0; i < 200; ++i) {
    CAF_REQUIRE(small.verify_access_token(small.issue_access_token(alice()).token));
  }
  CAF_CHECK_LESS_OR_EQUAL(small.stats().cached_tokens, 32u);
  CAF_CHECK_EQUAL(small.stats().signature_checks, 200u);
}

CAF_TEST(a lease token carries the claims of the API and verifies as a lease) {
  auto token = tokens.issue_lease_token(some_lease());
  auto claims = payload_of(token);
  CAF_CHECK_EQUAL(*string_claim(claims, "iss"), "https://leasehold.test");
  CAF_CHECK_EQUAL(*string_claim(claims, "sub"), "user-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "tid"), "tenant-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "lid"), "license-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "sid"), "session-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "hwid"), "hw-1");
  CAF_CHECK_EQUAL(*string_claim(claims, "tier"), "pro");
  CAF_CHECK_EQUAL(*string_claim(claims, "typ"), "lease");
  CAF_CHECK_EQUAL(integer_claim(claims, "iat"), start);
  CAF_CHECK_EQUAL(integer_claim(claims, "exp"), start + 259200);
  auto& features = claims.fields().at("features").struct_value().fields();
  CAF_CHECK_EQUAL(features.size(), 2u);
  CAF_CHECK(features.at("export").bool_value());
  CAF_CHECK(features.at("beta").has_bool_value() && !features.at("beta").bool_value());
  auto verified = tokens.verify_lease_token(token);
  CAF_REQUIRE(verified);
  CAF_CHECK_EQUAL(verified->sid, "session-1");
  CAF_CHECK_EQUAL(verified->exp, start + 259200);
  CAF_CHECK_EQUAL(verified->features.size(), 2u);
  CAF_CHECK(verified->features.at("export"));
}

CAF_TEST(lease claims keep client text with JSON syntax intact) {
  auto l = some_lease();
  l.hardware_id = "hw \"7\" \\ {x}\n";
  l.features = {{"a\"b", true}};
  auto verified = tokens.verify_lease_token(tokens.issue_lease_token(l));
  CAF_REQUIRE(verified);
  CAF_CHECK_EQUAL(verified->hwid, l.hardware_id);
  CAF_CHECK_EQUAL(verified->features, l.features);
}

CAF_TEST(an access token is not a lease token) {
  CAF_CHECK(!tokens.verify_lease_token(tokens.issue_access_token(alice()).token));
}

CAF_TEST(a lease token expires after the offline grace) {
  auto token = tokens.issue_lease_token(some_lease());
  *clock = start + 259199;
  CAF_CHECK(tokens.verify_lease_token(token));
  *clock = start + 259200;
  CAF_CHECK(!tokens.verify_lease_token(token));
}

CAF_TEST(older keys verify and appear in the JWKS while the first key signs) {
  auto old_key = signing_key::generate();
  token_service old_service{{old_key}, "https://leasehold.test", 3600s, options()};
  auto old_token = old_service.issue_access_token(alice());
  token_service rotated{{key, old_key}, "https://leasehold.test", 3600s, options()};
  CAF_CHECK(rotated.verify_access_token(old_token.token));
  auto fresh = rotated.issue_access_token(alice());
  auto header = base64url_decode(fresh.token.substr(0, fresh.token.find('.')));
  CAF_REQUIRE(header);
  CAF_CHECK_NOT_EQUAL(header->find(key.kid()), std::string::npos);
  google::protobuf::Struct jwks;
  CAF_REQUIRE(google::protobuf::util::JsonStringToMessage(rotated.jwks_json(), &jwks).ok());
  auto& keys = jwks.fields().at("keys").list_value();
  CAF_REQUIRE_EQUAL(keys.values_size(), 2);
  for (auto& jwk : keys.values()) {
    auto x = base64url_decode(jwk.struct_value().fields().at("x").string_value());
    CAF_REQUIRE(x);
    CAF_CHECK_EQUAL(x->size(), 32u);
  }
}

CAF_TEST(many threads verify one token with a single signature check at most per thread) {
  auto issued = tokens.issue_access_token(alice());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (!tokens.verify_access_token(issued.token)) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  CAF_CHECK_EQUAL(failures.load(), 0);
  CAF_CHECK_LESS_OR_EQUAL(tokens.stats().signature_checks, 4u);
  CAF_CHECK_EQUAL(tokens.stats().cache_hits + tokens.stats().cache_misses, 2000u);
}

CAF_TEST_FIXTURE_SCOPE_END()
