#define CAF_SUITE edge.operations

#include "edge/handlers/operations.hpp"

#include <caf/test/unit_test.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace leasehold;
using namespace leasehold::edge;

namespace {

supervision_stats sample_stats() {
  actor_kind_stats tenants;
  tenants.kind = "tenant";
  tenants.running = 3;
  tenants.started = 5;
  tenants.restarts = 2;
  tenants.failures["system_error(runtime_error, \"boom\")"] = 2;
  tenants.mailbox_total = 7;
  tenants.mailbox_max = 4;
  tenants.parked = 1;
  supervision_stats stats;
  stats.kinds.push_back(tenants);
  return stats;
}

// The rules of the text format 0.0.4 that promtool checks first: every sample belongs to a
// family announced by HELP and TYPE before it, names and labels are well-formed, values parse.
std::string format_problem(const std::string& text) {
  static const std::regex help_re{R"x(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)x"};
  static const std::regex type_re{
    R"x(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))x"};
  static const std::regex sample_re{
    R"x(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ([-+0-9.eE]+|\+Inf|NaN))x"};
  std::set<std::string> typed;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help_re)) {
      continue;
    }
    if (std::regex_match(line, m, type_re)) {
      if (!typed.insert(m[1]).second) {
        return "family declared twice: " + line;
      }
      continue;
    }
    if (!std::regex_match(line, m, sample_re)) {
      return "malformed line: " + line;
    }
    auto name = m[1].str();
    auto family = std::regex_replace(name, std::regex{"_(bucket|sum|count)$"}, "");
    if (typed.count(name) == 0 && typed.count(family) == 0) {
      return "sample without TYPE: " + line;
    }
  }
  return {};
}

} // namespace

CAF_TEST(the supervision view lists every kind with its figures) {
  auto json = supervision_json(sample_stats(), 12);
  const std::string expected =
    "{\"actors_running\":12,\"kinds\":[{\"kind\":\"tenant\",\"running\":3,\"started\":5,"
    "\"restarts\":2,\"failures\":{\"system_error(runtime_error, \\\"boom\\\")\":2},"
    "\"mailbox_total\":7,\"mailbox_max\":4,\"parked\":1}]}";
  CAF_CHECK_EQUAL(json, expected);
}

CAF_TEST(json strings escape quotes and control characters) {
  const std::string expected = "\"a\\\"b\\\\c\\nd\\u0001\"";
  CAF_CHECK_EQUAL(json_quote("a\"b\\c\nd\x01"), expected);
}

CAF_TEST(supervision metrics carry kind and reason labels) {
  std::string out;
  write_supervision_metrics(sample_stats(), out);
  CAF_CHECK_NOT_EQUAL(out.find("leasehold_actors_supervised{kind=\"tenant\"} 3\n"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("leasehold_actor_restarts_total{kind=\"tenant\"} 2\n"),
                      std::string::npos);
  const std::string failures = "leasehold_actor_failures_total{kind=\"tenant\",reason=\"system_"
                               "error(runtime_error, \\\"boom\\\")\"} 2";
  CAF_CHECK_NOT_EQUAL(out.find(failures), std::string::npos);
  CAF_CHECK_EQUAL(format_problem(out), "");
}

CAF_TEST(http supervision and store metrics form valid exposition text) {
  http_metrics http;
  http.record("/api/v1/licenses/{id}", 200, std::chrono::milliseconds{3});
  http.record("/api/v1/licenses/{id}", 404, std::chrono::milliseconds{30});
  http.record("", 404, std::chrono::microseconds{100});
  http.connection_opened();
  std::string out;
  http.write(out);
  write_supervision_metrics(sample_stats(), out);
  persistence::record_store_stats store;
  store.count_commit(4, 0.002);
  store.count_commit(5, 0.003);
  persistence::record_store_stats other_shard;
  other_shard.count_commit(3, 0.07);
  other_shard.connected = 2;
  store += other_shard;
  write_store_metrics(store, out);
  CAF_CHECK_EQUAL(format_problem(out), "");
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_records_total 12\n"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_shards_connected 2\n"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_batches_total 3\n"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find("\nleasehold_store_commit_duration_seconds_bucket{le=\"0.0025\"} 1\n"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find("\nleasehold_store_commit_duration_seconds_bucket{le=\"0.005\"} 2\n"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_commit_duration_seconds_bucket{le=\"0.05\"} 2\n"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_commit_duration_seconds_bucket{le=\"+Inf\"} 3\n"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_commit_duration_seconds_sum 0.075\n"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(out.find("\nleasehold_store_commit_duration_seconds_count 3\n"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find(R"x(leasehold_http_requests_total{route="/api/v1/licenses/{id}",code="4xx"} 1)x"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find(
      R"x(leasehold_http_request_duration_seconds_bucket{route="/api/v1/licenses/{id}",le="0.005"} 1)x"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find(
      R"x(leasehold_http_request_duration_seconds_bucket{route="/api/v1/licenses/{id}",le="+Inf"} 2)x"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find(R"x(leasehold_http_requests_total{route="unmatched",code="4xx"} 1)x"),
    std::string::npos);
  CAF_CHECK_EQUAL(format_problem("leasehold_x 1\n"), "sample without TYPE: leasehold_x 1");
}

CAF_TEST(requests counted on many threads add up to one figure per route) {
  http_metrics http;
  const int threads = 20; // more than the counters' shards, so threads share some
  const int per_thread = 500;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&http] {
      for (int i = 0; i < per_thread; ++i) {
        http.record("/health", 200, std::chrono::microseconds{100});
      }
    });
  }
  for (auto& w : workers) {
    w.join();
  }
  std::string out;
  http.write(out);
  CAF_CHECK_EQUAL(format_problem(out), "");
  auto total = std::to_string(threads * per_thread);
  CAF_CHECK_NOT_EQUAL(
    out.find(R"(leasehold_http_requests_total{route="/health",code="2xx"} )" + total + "\n"),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    out.find(R"(leasehold_http_request_duration_seconds_count{route="/health"} )" + total + "\n"),
    std::string::npos);
  // One series per route, not one per shard.
  std::string series = R"(leasehold_http_requests_total{route="/health")";
  CAF_CHECK_EQUAL(out.find(series), out.rfind(series));
}

CAF_TEST(the resident set size of the process is known) {
  CAF_CHECK_GREATER(process_resident_bytes(), 1024u * 1024u);
}
