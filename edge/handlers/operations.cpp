#include "edge/handlers/operations.hpp"

#include "edge/response.hpp"

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

#include <cstdio>

namespace leasehold::edge {

namespace {

constexpr std::string_view prometheus_type = "text/plain; version=0.0.4; charset=utf-8";

void reply_metrics(const context_ptr& ctx, std::string text) {
  http_response res{http::status::ok, 11};
  res.set(http::field::content_type, prometheus_type);
  res.body() = std::move(text);
  ctx->answer(std::move(res)); // the session adds the request id and the length
}

void write_process_metrics(caf::actor_system& sys, std::string& out) {
  out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
         "# TYPE process_resident_memory_bytes gauge\n"
         "process_resident_memory_bytes " +
         std::to_string(process_resident_bytes()) + "\n";
  out += "# HELP leasehold_actors_running Actors alive in this node's actor system.\n"
         "# TYPE leasehold_actors_running gauge\n"
         "leasehold_actors_running " +
         std::to_string(sys.registry().running()) + "\n";
}

void gauge_header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void handle_health(const context_ptr& ctx) {
  reply_json_text(ctx, http::status::ok, R"({"status":"ok"})");
}

void handle_ready(services& svc, const context_ptr& ctx) {
  auto not_ready = [ctx](const caf::error&) {
    reply_error(ctx, errc::unavailable, "the database is unreachable");
  };
  svc.bridge.ask<bool>(
    ctx, svc.audit,
    [ctx](bool reachable) {
      if (reachable) {
        reply_json_text(ctx, http::status::ok, R"({"status":"ready"})");
      } else {
        reply_error(ctx, errc::unavailable, "the database is unreachable");
      }
    },
    not_ready, caf::ping_atom::value);
}

void handle_metrics(services& svc, const operations_sources& src, const context_ptr& ctx) {
  auto* sys = &svc.sys;
  auto* http = src.http;
  auto render = [sys, http](const supervision_stats* stats,
                            const persistence::record_store_stats* store) {
    std::string out;
    if (store != nullptr) {
      write_store_metrics(*store, out);
    }
    if (http != nullptr) {
      http->write(out);
    }
    write_process_metrics(*sys, out);
    gauge_header(out, "leasehold_supervision_up", "gauge",
                 "1 if the tenant directory answered the stats probe.");
    out += "leasehold_supervision_up " + std::string{stats != nullptr ? "1" : "0"} + "\n";
    if (stats != nullptr) {
      write_supervision_metrics(*stats, out);
    }
    return out;
  };
  // Supervision figures first, then the store's; a part that does not answer is left out.
  auto* bridge = &svc.bridge;
  auto store = src.store;
  auto with_store = [ctx, render, bridge, store](const supervision_stats* stats) {
    if (!store) {
      return reply_metrics(ctx, render(stats, nullptr));
    }
    auto kept = stats != nullptr ? std::make_shared<supervision_stats>(*stats) : nullptr;
    bridge->ask<persistence::record_store_stats>(
      ctx, store,
      [ctx, render, kept](persistence::record_store_stats& figures) {
        reply_metrics(ctx, render(kept.get(), &figures));
      },
      [ctx, render, kept](const caf::error&) { reply_metrics(ctx, render(kept.get(), nullptr)); },
      stats_atom_v);
  };
  svc.bridge.ask<supervision_stats>(
    ctx, src.directory, [with_store](supervision_stats& stats) { with_store(&stats); },
    [with_store](const caf::error&) { with_store(nullptr); }, stats_atom_v);
}

void handle_actors(services& svc, const operations_sources& src, const context_ptr& ctx) {
  auto* sys = &svc.sys;
  svc.bridge.ask<supervision_stats>(
    ctx, src.directory,
    [ctx, sys](supervision_stats& stats) {
      reply_json_text(ctx, http::status::ok, supervision_json(stats, sys->registry().running()));
    },
    reply_error_to(ctx), stats_atom_v);
}

} // namespace

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (auto c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out.push_back(c);
      }
    }
  }
  out += '"';
  return out;
}

std::string supervision_json(const supervision_stats& stats, size_t actors_running) {
  std::string out = R"({"actors_running":)" + std::to_string(actors_running) + R"(,"kinds":[)";
  bool first = true;
  for (const auto& k : stats.kinds) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += R"({"kind":)" + json_quote(k.kind) + R"(,"running":)" + std::to_string(k.running) +
           R"(,"started":)" + std::to_string(k.started) + R"(,"restarts":)" +
           std::to_string(k.restarts) + R"(,"failures":{)";
    bool first_failure = true;
    for (const auto& [reason, count] : k.failures) {
      if (!first_failure) {
        out += ',';
      }
      first_failure = false;
      out += json_quote(reason) + ":" + std::to_string(count);
    }
    out += R"(},"mailbox_total":)" + std::to_string(k.mailbox_total) + R"(,"mailbox_max":)" +
           std::to_string(k.mailbox_max) + R"(,"parked":)" + std::to_string(k.parked) + "}";
  }
  out += "]}";
  return out;
}

void write_store_metrics(const persistence::record_store_stats& stats, std::string& out) {
  struct figure {
    const char* name;
    const char* type;
    const char* help;
    uint64_t value;
  };
  const figure figures[] = {
    {"leasehold_store_batches_total", "counter", "Transactions the record store committed.",
     stats.batches},
    {"leasehold_store_records_total", "counter",
     "Records and notes committed (records per transaction: this over batches).", stats.records},
    {"leasehold_store_failed_total", "counter",
     "Records answered with an error, and notes dropped.", stats.failed},
    {"leasehold_store_reconnects_total", "counter",
     "Reconnects of writer shards after a lost connection.", stats.reconnects},
    {"leasehold_store_kept_records", "gauge", "Records waiting for the database right now.",
     stats.kept},
    {"leasehold_store_shards_connected", "gauge", "Writer shards with a live connection.",
     stats.connected},
  };
  for (const auto& f : figures) {
    gauge_header(out, f.name, f.type, f.help);
    out += std::string{f.name} + " " + std::to_string(f.value) + "\n";
  }
  constexpr auto commit_time = "leasehold_store_commit_duration_seconds";
  gauge_header(out, commit_time, "histogram",
               "Time from a transaction's first statement to its commit (acquires and releases "
               "wait for it).");
  const auto& bounds = persistence::record_store_stats::commit_bounds;
  if (stats.commits_within.size() == bounds.size()) {
    append_histogram(out, commit_time, "", bounds.data(), stats.commits_within.data(),
                     bounds.size(), stats.batches, stats.commit_seconds);
  }
}

void write_supervision_metrics(const supervision_stats& stats, std::string& out) {
  struct figure {
    const char* name;
    const char* type;
    const char* help;
    uint64_t actor_kind_stats::*member;
  };
  static constexpr figure figures[] = {
    {"leasehold_actors_supervised", "gauge", "Supervised actors alive, by kind.",
     &actor_kind_stats::running},
    {"leasehold_actor_starts_total", "counter", "Supervised actor starts, by kind.",
     &actor_kind_stats::started},
    {"leasehold_actor_restarts_total", "counter",
     "Supervised actor restarts after an abnormal end, by kind.", &actor_kind_stats::restarts},
    {"leasehold_actor_mailbox_messages", "gauge",
     "Queued messages summed over supervised actors, by kind.", &actor_kind_stats::mailbox_total},
    {"leasehold_actor_mailbox_max_messages", "gauge",
     "Longest mailbox among supervised actors, by kind.", &actor_kind_stats::mailbox_max},
    {"leasehold_actor_parked_requests", "gauge",
     "Requests held by supervised actors for a later answer (acquires waiting for a seat), by "
     "kind.",
     &actor_kind_stats::parked},
  };
  for (const auto& f : figures) {
    gauge_header(out, f.name, f.type, f.help);
    for (const auto& k : stats.kinds) {
      out += std::string{f.name} + "{kind=\"" + escape_label(k.kind) + "\"} " +
             std::to_string(k.*(f.member)) + "\n";
    }
  }
  gauge_header(out, "leasehold_actor_failures_total", "counter",
               "Abnormal ends of supervised actors, by kind and reason.");
  for (const auto& k : stats.kinds) {
    for (const auto& [reason, count] : k.failures) {
      out += "leasehold_actor_failures_total{kind=\"" + escape_label(k.kind) + "\",reason=\"" +
             escape_label(reason) + "\"} " + std::to_string(count) + "\n";
    }
  }
}

void add_operations_routes(router& r, services& svc, operations_sources src) {
  r.add(http::verb::get, "/health", access::open, handle_health);
  r.add(http::verb::get, "/ready", access::open,
        [&svc](const context_ptr& ctx) { handle_ready(svc, ctx); });
  r.add(http::verb::get, "/metrics", access::open,
        [&svc, src](const context_ptr& ctx) { handle_metrics(svc, src, ctx); });
  r.add(http::verb::get, "/api/v1/admin/actors", access::operator_key,
        [&svc, src](const context_ptr& ctx) { handle_actors(svc, src, ctx); });
}

} // namespace leasehold::edge
