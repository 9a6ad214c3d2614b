#define CAF_SUITE edge.response_head

#include "edge/response_head.hpp"

#include <caf/test/unit_test.hpp>

using namespace leasehold::edge;

namespace {

std::string head_of(const http_response& res, std::string_view request_id = "req-1") {
  std::string out;
  append_response_head(res, request_id, out);
  return out;
}

} // namespace

CAF_TEST(a json answer gets its type id and length) {
  http_response res{http::status::ok, 11};
  res.body() = R"({"status":"ok"})";
  CAF_CHECK_EQUAL(head_of(res), "HTTP/1.1 200 OK\r\n"
                                "Content-Type: application/json\r\n"
                                "X-Request-ID: req-1\r\n"
                                "Content-Length: 15\r\n"
                                "\r\n");
}

CAF_TEST(fields the answer has are written once as given) {
  http_response res{http::status::too_many_requests, 10};
  res.set(http::field::content_type, "text/plain");
  res.set("x-request-id", "own-id");
  res.set(http::field::retry_after, "30");
  res.set(http::field::content_length, "2");
  res.body() = "no";
  CAF_CHECK_EQUAL(head_of(res), "HTTP/1.0 429 Too Many Requests\r\n"
                                "Content-Type: text/plain\r\n"
                                "x-request-id: own-id\r\n"
                                "Retry-After: 30\r\n"
                                "Content-Length: 2\r\n"
                                "\r\n");
}

CAF_TEST(answers without content carry no length) {
  http_response res{http::status::no_content, 11};
  CAF_CHECK_EQUAL(head_of(res, "r"), "HTTP/1.1 204 No Content\r\n"
                                     "Content-Type: application/json\r\n"
                                     "X-Request-ID: r\r\n"
                                     "\r\n");
}

CAF_TEST(the head is appended to what the buffer holds) {
  http_response res{http::status::not_found, 11};
  std::string out = "kept";
  append_response_head(res, "r", out);
  CAF_CHECK_EQUAL(out.rfind("keptHTTP/1.1 404 Not Found\r\n", 0), 0u);
  CAF_CHECK_NOT_EQUAL(out.find("Content-Length: 0\r\n"), std::string::npos);
}
