#include "edge/metrics.hpp"

#include "edge/per_thread_counter.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace leasehold::edge {

namespace {

constexpr std::string_view unmatched_route = "unmatched";

void append_double(std::string& out, double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.9g", x);
  out += buf;
}

} // namespace

void http_metrics::record(std::string_view route, unsigned status,
                          std::chrono::nanoseconds latency) {
  if (route.empty()) {
    route = unmatched_route; // unknown paths share one label: no label explosion by scanners
  }
  auto seconds = std::chrono::duration<double>(latency).count();
  auto cls = status / 100;
  auto& mine = shards_[this_threads_shard(shard_count)];
  std::lock_guard<std::mutex> guard{mine.mtx};
  auto i = mine.routes.find(route);
  if (i == mine.routes.end()) {
    i = mine.routes.emplace(std::string{route}, route_figures{}).first;
  }
  auto& fig = i->second;
  if (cls >= 1 && cls <= 5) {
    ++fig.by_class[cls - 1];
  }
  for (size_t b = 0; b < latency_bounds.size(); ++b) {
    if (seconds <= latency_bounds[b]) {
      ++fig.buckets[b];
    }
  }
  ++fig.count;
  fig.sum += seconds;
}

http_metrics::route_figures& http_metrics::route_figures::operator+=(const route_figures& other) {
  for (size_t c = 0; c < by_class.size(); ++c) {
    by_class[c] += other.by_class[c];
  }
  for (size_t b = 0; b < buckets.size(); ++b) {
    buckets[b] += other.buckets[b];
  }
  count += other.count;
  sum += other.sum;
  return *this;
}

void http_metrics::connection_opened() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++connections_opened_;
}

void http_metrics::connection_moved() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++connections_moved_;
}

void http_metrics::connection_closed() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++connections_closed_;
}

void http_metrics::write(std::string& out) const {
  route_map routes;
  for (const auto& part : shards_) {
    std::lock_guard<std::mutex> guard{part.mtx};
    for (const auto& [route, fig] : part.routes) {
      routes[route] += fig;
    }
  }
  std::lock_guard<std::mutex> guard{mtx_};
  out += "# HELP leasehold_http_requests_total HTTP requests answered, by route pattern and "
         "status class.\n"
         "# TYPE leasehold_http_requests_total counter\n";
  for (const auto& [route, fig] : routes) {
    for (size_t c = 0; c < fig.by_class.size(); ++c) {
      if (fig.by_class[c] == 0) {
        continue;
      }
      out += "leasehold_http_requests_total{route=\"" + escape_label(route) + "\",code=\"" +
             std::to_string(c + 1) + "xx\"} " + std::to_string(fig.by_class[c]) + "\n";
    }
  }
  out += "# HELP leasehold_http_request_duration_seconds Time from a complete request to its "
         "answer, by route pattern.\n"
         "# TYPE leasehold_http_request_duration_seconds histogram\n";
  for (const auto& [route, fig] : routes) {
    append_histogram(out, "leasehold_http_request_duration_seconds",
                     "route=\"" + escape_label(route) + "\"", latency_bounds.data(),
                     fig.buckets.data(), latency_bounds.size(), fig.count, fig.sum);
  }
  out += "# HELP leasehold_http_connections_opened_total TCP connections accepted.\n"
         "# TYPE leasehold_http_connections_opened_total counter\n"
         "leasehold_http_connections_opened_total " +
         std::to_string(connections_opened_) + "\n";
  out += "# HELP leasehold_http_connections_moved_total Connections moved to the I/O thread "
         "of the CPU their packets arrive on.\n"
         "# TYPE leasehold_http_connections_moved_total counter\n"
         "leasehold_http_connections_moved_total " +
         std::to_string(connections_moved_) + "\n";
  out += "# HELP leasehold_http_connections_open TCP connections currently open.\n"
         "# TYPE leasehold_http_connections_open gauge\n"
         "leasehold_http_connections_open " +
         std::to_string(connections_opened_ - connections_closed_) + "\n";
}

uint64_t process_resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  uint64_t size = 0;
  uint64_t resident = 0;
  if (!(statm >> size >> resident)) {
    return 0;
  }
  auto page = sysconf(_SC_PAGESIZE);
  return resident * static_cast<uint64_t>(page > 0 ? page : 4096);
}

void append_histogram(std::string& out, std::string_view name, std::string_view labels,
                      const double* bounds, const uint64_t* within, size_t size, uint64_t count,
                      double sum) {
  auto series = [&](std::string_view suffix, std::string_view extra_label) {
    out.append(name).append(suffix);
    if (!labels.empty() || !extra_label.empty()) {
      out += '{';
      out.append(labels);
      if (!labels.empty() && !extra_label.empty()) {
        out += ',';
      }
      out.append(extra_label);
      out += '}';
    }
    out += ' ';
  };
  for (size_t b = 0; b < size; ++b) {
    std::string le = "le=\"";
    append_double(le, bounds[b]);
    le += '"';
    series("_bucket", le);
    out += std::to_string(within[b]) + "\n";
  }
  series("_bucket", "le=\"+Inf\"");
  out += std::to_string(count) + "\n";
  series("_sum", "");
  append_double(out, sum);
  out += '\n';
  series("_count", "");
  out += std::to_string(count) + "\n";
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (auto c : value) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      out.push_back(c);
    }
  }
  return out;
}

} // namespace leasehold::edge
