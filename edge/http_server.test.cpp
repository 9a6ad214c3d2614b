#define CAF_SUITE edge.http_server

#include "edge/http_server.hpp"

#include "edge/cpu_affinity.hpp"
#include "edge/response.hpp"

#include <caf/test/unit_test.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <thread>

using namespace leasehold;
using namespace leasehold::edge;

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A blocking client on loopback; the server picks its own port.
struct fixture {
  router routes;
  std::unique_ptr<http_server> server;
  tcp::endpoint endpoint;
  asio::io_context client_ioc;
  std::vector<std::thread> workers;
  std::vector<context_ptr> held; // requests a handler keeps without answering

  fixture() {
    routes.add(http::verb::get, "/health", access::open, [](const context_ptr& ctx) {
      reply_json_text(ctx, http::status::ok, R"({"status":"ok"})");
    });
    // Answers from a foreign thread, as actor callbacks do.
    routes.add(http::verb::post, "/echo", access::open, [this](const context_ptr& ctx) {
      workers.emplace_back([ctx] { reply_json_text(ctx, http::status::created, ctx->req.body()); });
    });
    // Waits for an actor that never answers (the request stays held, as a bridge holds it).
    routes.add(http::verb::get, "/silent", access::open, [this](const context_ptr& ctx) {
      ctx->answer_within(std::chrono::milliseconds{100});
      held.push_back(ctx);
    });
    // Drops the request without an answer (a handler bug).
    routes.add(http::verb::get, "/dropped", access::open, [](const context_ptr&) {});
    // Short timeouts, so that the tests below see them act.
    session_limits limits;
    limits.first_header_timeout = std::chrono::seconds{1};
    limits.idle_timeout = std::chrono::seconds{1};
    server = std::make_unique<http_server>(routes, limits);
    auto bound = server->start("127.0.0.1:0", 2);
    CAF_REQUIRE(bound);
    endpoint = *bound;
  }

  ~fixture() {
    server->stop();
    for (auto& t : workers) {
      t.join();
    }
  }

  tcp::socket connect() {
    tcp::socket sock{client_ioc};
    sock.connect(endpoint);
    return sock;
  }

  static void send_raw(tcp::socket& sock, const std::string& bytes) {
    asio::write(sock, asio::buffer(bytes));
  }

  // Reads one response (headers + Content-Length body) as text.
  static std::string read_response(tcp::socket& sock) {
    std::string data;
    char buf[4096];
    for (;;) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto cl = data.find("Content-Length: ");
        size_t length = 0;
        if (cl != std::string::npos && cl < end) {
          length = std::stoul(data.substr(cl + 16));
        }
        if (data.size() >= end + 4 + length) {
          return data.substr(0, end + 4 + length);
        }
      }
      boost::system::error_code ec;
      auto n = sock.read_some(asio::buffer(buf), ec);
      if (ec) {
        return data;
      }
      data.append(buf, n);
    }
  }

  static bool closed_by_peer(tcp::socket& sock) {
    char c;
    boost::system::error_code ec;
    sock.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Runs the calling thread on `cpu` only, until destroyed.
class pinned_to {
public:
  explicit pinned_to(int cpu) { move(cpu); }
  ~pinned_to() { pin_this_thread(saved_); }
  void move(int cpu) { CAF_REQUIRE(pin_this_thread({cpu})); }

private:
  std::vector<int> saved_ = usable_cpus();
};

/// A counter of the server's /metrics text.
uint64_t metric(http_server& server, const std::string& name) {
  std::string text;
  server.metrics().write(text);
  auto at = text.find("\n" + name + " ");
  CAF_REQUIRE(at != std::string::npos);
  return std::stoull(text.substr(at + name.size() + 2));
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(http_server_tests, fixture)

CAF_TEST(a request is answered with request id and json content type) {
  auto sock = connect();
  send_raw(sock, "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: abc-123\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 200 OK"));
  CAF_CHECK(contains(res, "X-Request-ID: abc-123"));
  CAF_CHECK(contains(res, "Content-Type: application/json"));
  CAF_CHECK(contains(res, R"({"status":"ok"})"));
}

CAF_TEST(an insane request id is replaced by a uuid) {
  auto sock = connect();
  send_raw(sock, "GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Request-ID: a b<c>\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 404"));
  CAF_CHECK(!contains(res, "a b<c>"));
  auto pos = res.find("X-Request-ID: ");
  CAF_REQUIRE(pos != std::string::npos);
  auto id = res.substr(pos + 14, 36);
  CAF_CHECK(is_sane_request_id(id));
  CAF_CHECK(contains(res, R"("request_id":")" + id + "\""));
}

CAF_TEST(keep alive serves several requests on one connection) {
  auto sock = connect();
  for (int i = 0; i < 3; ++i) {
    std::string body = R"({"n":)" + std::to_string(i) + "}";
    send_raw(sock, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);
    auto res = read_response(sock);
    CAF_CHECK(contains(res, "HTTP/1.1 201"));
    CAF_CHECK(contains(res, body));
  }
}

CAF_TEST(a body over 64 KiB answers 413 and closes) {
  auto sock = connect();
  send_raw(sock, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 70000\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 413"));
  CAF_CHECK(contains(res, R"("error":"payload_too_large")"));
  CAF_CHECK(contains(res, "X-Request-ID: "));
  CAF_CHECK(closed_by_peer(sock));
}

CAF_TEST(malformed http answers 400 and closes) {
  auto sock = connect();
  send_raw(sock, "GARBAGE\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 400"));
  CAF_CHECK(contains(res, R"("error":"bad_request")"));
  CAF_CHECK(closed_by_peer(sock));
}

CAF_TEST(a wrong method answers 405 with allow over the wire) {
  auto sock = connect();
  send_raw(sock, "DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 405"));
  CAF_CHECK(contains(res, "Allow: GET"));
}

CAF_TEST(requests are counted by route pattern) {
  auto sock = connect();
  send_raw(sock, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  read_response(sock);
  send_raw(sock, "GET /else HTTP/1.1\r\nHost: x\r\n\r\n");
  read_response(sock);
  std::string text;
  server->metrics().write(text);
  CAF_CHECK(contains(text, R"(leasehold_http_requests_total{route="/health",code="2xx"} 1)"));
  CAF_CHECK(contains(text, R"(leasehold_http_requests_total{route="unmatched",code="4xx"} 1)"));
  CAF_CHECK(contains(text, R"(leasehold_http_request_duration_seconds_count{route="/health"} 1)"));
}

CAF_TEST(a request nobody answers in time gets 503 and the connection stays usable) {
  auto sock = connect();
  send_raw(sock, "GET /silent HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 503"));
  CAF_CHECK(contains(res, "the system did not answer in time"));
  send_raw(sock, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  CAF_CHECK(contains(read_response(sock), "HTTP/1.1 200 OK"));
}

CAF_TEST(a request that a handler drops without an answer gets 500) {
  auto sock = connect();
  send_raw(sock, "GET /dropped HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = read_response(sock);
  CAF_CHECK(contains(res, "HTTP/1.1 500"));
  CAF_CHECK(contains(res, R"("error":"internal")"));
}

CAF_TEST(a connection that sends nothing is closed after its timeout) {
  auto sock = connect();
  auto started = std::chrono::steady_clock::now();
  CAF_CHECK(closed_by_peer(sock)); // blocks until the server closes it
  auto waited = std::chrono::steady_clock::now() - started;
  // The timeout is 1 s; the sweep looks every 250 ms.
  CAF_CHECK_GREATER_OR_EQUAL(waited, std::chrono::milliseconds{900});
  CAF_CHECK_LESS(waited, std::chrono::seconds{3});
}

CAF_TEST(a connection follows its client to another cpu) {
  auto cpus = usable_cpus();
  if (cpus.size() < 2) {
    CAF_MESSAGE("one usable CPU: there is nowhere to follow");
    return;
  }
  const std::string moved = "leasehold_http_connections_moved_total";
  // On loopback a connection's packets arrive on the CPU of the thread that sends them.
  pinned_to client{cpus[0]};
  auto sock = connect();
  auto ask = [&] {
    send_raw(sock, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    return contains(read_response(sock), "HTTP/1.1 200 OK");
  };
  for (int i = 0; i < 64; ++i) {
    CAF_REQUIRE(ask());
  }
  CAF_CHECK_EQUAL(metric(*server, moved), 0u); // checked at the 64th answer: still on its CPU
  client.move(cpus[1]);
  for (int i = 0; i < 64 + 16; ++i) {
    CAF_REQUIRE(ask());
  }
  // The 128th answer found the packets arriving on the other CPU (the move follows the write
  // of that answer, hence the requests after it); the connection went on there.
  CAF_CHECK_EQUAL(metric(*server, moved), 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
