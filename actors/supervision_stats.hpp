#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace leasehold {

/// Supervision figures of one kind of actor (e.g. "tenant") under one supervisor.
struct actor_kind_stats {
  std::string kind;
  uint64_t running = 0;                     // alive now
  uint64_t started = 0;                     // starts, restarts included
  uint64_t restarts = 0;                    // starts after an abnormal end
  std::map<std::string, uint64_t> failures; // abnormal ends by rendered reason
  uint64_t mailbox_total = 0;               // queued messages, summed over running actors
  uint64_t mailbox_max = 0;                 // the longest mailbox among them
  uint64_t parked = 0; // requests held for a later answer (acquires waiting for a seat)
};

/// What a supervisor reports for `/api/v1/admin/actors` and `/metrics`.
struct supervision_stats {
  std::vector<actor_kind_stats> kinds;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_kind_stats& x) {
  return f(caf::meta::type_name("actor_kind_stats"), x.kind, x.running, x.started, x.restarts,
           x.failures, x.mailbox_total, x.mailbox_max, x.parked);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervision_stats& x) {
  return f(caf::meta::type_name("supervision_stats"), x.kinds);
}

} // namespace leasehold
