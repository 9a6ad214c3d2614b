#define CAF_SUITE edge.router

#include "edge/router.hpp"

#include "edge/rate_limiter.hpp"

#include <caf/test/unit_test.hpp>

#include <boost/asio/io_context.hpp>

#include <vector>

using namespace leasehold;
using namespace leasehold::edge;

namespace {

constexpr const char* good_token = "good-token";
constexpr const char* operator_secret = "operator-secret-with-enough-characters";

struct fixture {
  boost::asio::io_context ioc;
  std::chrono::steady_clock::time_point now{};
  rate_limiter limits{rate_limits{2, 60, 10}, [this] { return now; }};
  router r;
  std::vector<std::string> called; // handlers that ran, by name
  int verifications = 0;

  fixture() {
    router_config cfg;
    // Stands in for the token service: one token is valid.
    cfg.verify = [this](std::string_view token) -> caf::expected<bearer_ptr> {
      ++verifications;
      if (token != good_token) {
        return make_error(errc::unauthorized, "bad token");
      }
      bearer b;
      b.who.user_id = "user-1";
      b.who.tenant_id = "tenant-1";
      return std::make_shared<const bearer>(std::move(b));
    };
    cfg.operator_key = operator_secret;
    cfg.limits = &limits;
    r.configure(std::move(cfg));
    r.add(http::verb::get, "/health", access::open, named("health"));
    r.add(http::verb::get, "/api/v1/licenses", access::bearer, named("list"));
    r.add(http::verb::get, "/api/v1/licenses/{id}", access::bearer, named("get"));
    r.add(http::verb::post, "/api/v1/licenses/acquire", access::bearer, named("acquire"));
    r.add(http::verb::delete_, "/api/v1/sessions/{id}", access::bearer, named("delete"));
    r.add(http::verb::get, "/api/v1/admin/actors", access::operator_key, named("actors"));
    r.add(http::verb::patch, "/api/v1/admin/licenses/{id}", access::operator_key, named("patch"));
  }

  handler named(std::string name) {
    return [this, name](const context_ptr& ctx) {
      called.push_back(name);
      http_response res{http::status::ok, 11};
      ctx->answer(std::move(res));
    };
  }

  struct outcome {
    http_response res;
    context_ptr ctx;
    std::string pattern;
  };

  outcome send(http::verb method, std::string target,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto ctx = std::make_shared<request_context>();
    ctx->req = http_request{method, target, 11};
    for (auto& [name, value] : headers) {
      ctx->req.set(name, value);
    }
    ctx->request_id = "req-1";
    ctx->executor = ioc.get_executor();
    outcome out;
    bool answered = false;
    ctx->respond = [&](http_response res) {
      answered = true;
      out.res = std::move(res);
    };
    out.pattern = std::string{r.dispatch(ctx)};
    CAF_CHECK(answered);
    out.ctx = ctx;
    return out;
  }

  static std::string header(const http_response& res, http::field f) {
    auto i = res.find(f);
    return i == res.end() ? std::string{} : std::string{i->value()};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(router_tests, fixture)

CAF_TEST(an unknown path answers 404 before authentication) {
  auto out = send(http::verb::get, "/api/v1/nothing");
  CAF_CHECK_EQUAL(out.res.result(), http::status::not_found);
  CAF_CHECK_NOT_EQUAL(out.res.body().find(R"("error":"not_found")"), std::string::npos);
  CAF_CHECK_EQUAL(verifications, 0);
  auto with_token =
    send(http::verb::get, "/api/v1/licenses/a/b", {{"Authorization", "Bearer wrong"}});
  CAF_CHECK_EQUAL(with_token.res.result(), http::status::not_found);
  CAF_CHECK_EQUAL(verifications, 0);
  CAF_CHECK(called.empty());
}

CAF_TEST(a known path with another method answers 405 with allow) {
  auto out = send(http::verb::put, "/api/v1/licenses/acquire");
  CAF_CHECK_EQUAL(out.res.result(), http::status::method_not_allowed);
  CAF_CHECK_EQUAL(header(out.res, http::field::allow), "POST");
  CAF_CHECK_NOT_EQUAL(out.res.body().find(R"("error":"method_not_allowed")"), std::string::npos);
  CAF_CHECK_EQUAL(verifications, 0);
  auto admin = send(http::verb::get, "/api/v1/admin/licenses/x");
  CAF_CHECK_EQUAL(admin.res.result(), http::status::method_not_allowed);
  CAF_CHECK_EQUAL(header(admin.res, http::field::allow), "PATCH");
}

CAF_TEST(literal segments win over placeholders) {
  auto acquire =
    send(http::verb::post, "/api/v1/licenses/acquire", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(acquire.res.result(), http::status::ok);
  auto by_id =
    send(http::verb::get, "/api/v1/licenses/lic-7", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(by_id.res.result(), http::status::ok);
  CAF_CHECK_EQUAL(by_id.ctx->path_params["id"], "lic-7");
  CAF_CHECK_EQUAL(by_id.pattern, "/api/v1/licenses/{id}");
  CAF_CHECK_EQUAL(called, std::vector<std::string>({"acquire", "get"}));
}

CAF_TEST(bearer routes need a valid token) {
  auto missing = send(http::verb::get, "/api/v1/licenses");
  CAF_CHECK_EQUAL(missing.res.result(), http::status::unauthorized);
  auto malformed = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Basic abc"}});
  CAF_CHECK_EQUAL(malformed.res.result(), http::status::unauthorized);
  auto empty = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer "}});
  CAF_CHECK_EQUAL(empty.res.result(), http::status::unauthorized);
  auto invalid = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer nope"}});
  CAF_CHECK_EQUAL(invalid.res.result(), http::status::unauthorized);
  CAF_CHECK_NOT_EQUAL(invalid.res.body().find(R"("error":"unauthorized")"), std::string::npos);
  CAF_CHECK(called.empty());
  auto good = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "bearer good-token"}});
  CAF_CHECK_EQUAL(good.res.result(), http::status::ok);
  CAF_REQUIRE(good.ctx->auth);
  CAF_CHECK_EQUAL(good.ctx->auth->who.user_id, "user-1");
}

CAF_TEST(operator routes compare the operator key) {
  auto missing = send(http::verb::get, "/api/v1/admin/actors");
  CAF_CHECK_EQUAL(missing.res.result(), http::status::unauthorized);
  auto wrong = send(http::verb::get, "/api/v1/admin/actors", {{"X-Operator-Key", "guess"}});
  CAF_CHECK_EQUAL(wrong.res.result(), http::status::unauthorized);
  auto prefix = send(http::verb::get, "/api/v1/admin/actors",
                     {{"X-Operator-Key", std::string{operator_secret}.substr(0, 10)}});
  CAF_CHECK_EQUAL(prefix.res.result(), http::status::unauthorized);
  auto bearer_only =
    send(http::verb::get, "/api/v1/admin/actors", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(bearer_only.res.result(), http::status::unauthorized);
  auto good = send(http::verb::get, "/api/v1/admin/actors", {{"X-Operator-Key", operator_secret}});
  CAF_CHECK_EQUAL(good.res.result(), http::status::ok);
  CAF_CHECK_EQUAL(called, std::vector<std::string>({"actors"}));
}

CAF_TEST(the query string is decoded into the context) {
  auto out = send(http::verb::get, "/api/v1/licenses/l-1?limit=10&before=a%20b&x=1+2",
                  {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(out.res.result(), http::status::ok);
  CAF_CHECK_EQUAL(out.ctx->query["limit"], "10");
  CAF_CHECK_EQUAL(out.ctx->query["before"], "a b");
  CAF_CHECK_EQUAL(out.ctx->query["x"], "1 2");
  auto bad =
    send(http::verb::get, "/api/v1/licenses?limit=%zz", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(bad.res.result(), http::status::bad_request);
}

CAF_TEST(bearer routes are rate limited per user and route) {
  auto ok1 = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer good-token"}});
  auto ok2 = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(ok1.res.result(), http::status::ok);
  CAF_CHECK_EQUAL(ok2.res.result(), http::status::ok);
  auto limited =
    send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(limited.res.result(), http::status::too_many_requests);
  CAF_CHECK_NOT_EQUAL(limited.res.body().find(R"("error":"rate_limited")"), std::string::npos);
  CAF_CHECK_EQUAL(header(limited.res, http::field::retry_after), "30");
  // Another route of the same user has its own budget.
  auto other =
    send(http::verb::get, "/api/v1/licenses/l-1", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(other.res.result(), http::status::ok);
  now += std::chrono::seconds{30};
  auto again = send(http::verb::get, "/api/v1/licenses", {{"Authorization", "Bearer good-token"}});
  CAF_CHECK_EQUAL(again.res.result(), http::status::ok);
}

CAF_TEST(error answers carry the request id) {
  auto out = send(http::verb::get, "/nope");
  CAF_CHECK_EQUAL(out.res["X-Request-ID"], "req-1");
  CAF_CHECK_NOT_EQUAL(out.res.body().find(R"("request_id":"req-1")"), std::string::npos);
  CAF_CHECK_EQUAL(header(out.res, http::field::content_type), "application/json");
}

CAF_TEST(percent decoding rejects broken escapes) {
  CAF_CHECK_EQUAL(percent_decode("a%2Fb", false), std::string{"a/b"});
  CAF_CHECK_EQUAL(percent_decode("a+b", false), std::string{"a+b"});
  CAF_CHECK_EQUAL(percent_decode("a+b", true), std::string{"a b"});
  CAF_CHECK(!percent_decode("%2", false));
  CAF_CHECK(!percent_decode("%", false));
  CAF_CHECK(!percent_decode("%g0", false));
}

CAF_TEST_FIXTURE_SCOPE_END()
