#pragma once

#include "actors/tenant_directory.hpp"
#include "edge/metrics.hpp"
#include "edge/router.hpp"
#include "edge/services.hpp"
#include "persistence/record_store.hpp"

namespace leasehold::edge {

/// What the operations endpoints read besides `services`.
struct operations_sources {
  tenant_directory_actor directory;        // supervision figures (stats_atom)
  http_metrics* http = nullptr;            // request counters of this node's server
  persistence::record_store_actor store{}; // group-commit counters (stats_atom); may be null
};

/// Registers GET /health, /ready, /metrics and /api/v1/admin/actors (operator key).
/// `svc` and `src.http` must outlive `r`.
void add_operations_routes(router& r, services& svc, operations_sources src);

/// Renders supervision figures as the JSON of /api/v1/admin/actors.
std::string supervision_json(const supervision_stats& stats, size_t actors_running);

/// Appends supervision figures in Prometheus text format.
void write_supervision_metrics(const supervision_stats& stats, std::string& out);

/// Appends the record store's counters in Prometheus text format.
void write_store_metrics(const persistence::record_store_stats& stats, std::string& out);

/// A JSON string literal of `text` (quotes included).
std::string json_quote(std::string_view text);

} // namespace leasehold::edge
