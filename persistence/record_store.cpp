#include "persistence/record_store.hpp"

#include "persistence/record_shard.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>
#include <vector>

namespace leasehold::persistence {

namespace {

struct store_state {
  std::vector<record_shard_actor> shards;
  static inline const char* name = "record_store";
};

using store_ptr = record_store_actor::stateful_pointer<store_state>;

// FNV-1a: stable across builds and nodes, unlike std::hash.
uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (auto c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// A tenant always goes to the same shard: that keeps its records in order.
const record_shard_actor& shard_for(store_ptr self, const std::string& tenant_id) {
  auto& shards = self->state.shards;
  return shards[fnv1a(tenant_id) % shards.size()];
}

struct stats_collector {
  record_store_stats sum;
  size_t missing = 0;
  caf::typed_response_promise<record_store_stats> promise;
};

caf::result<record_store_stats> collect_stats(store_ptr self) {
  auto collector = std::make_shared<stats_collector>();
  collector->missing = self->state.shards.size();
  collector->promise = self->make_response_promise<record_store_stats>();
  for (auto& shard : self->state.shards) {
    self->request(shard, caf::infinite, stats_atom::value)
      .then(
        [collector](record_store_stats& x) {
          collector->sum += x;
          if (--collector->missing == 0) {
            collector->promise.deliver(collector->sum);
          }
        },
        [collector](caf::error& err) {
          if (collector->missing > 0) {
            collector->missing = 0;
            collector->promise.deliver(std::move(err));
          }
        });
  }
  return collector->promise;
}

record_store_actor::behavior_type record_store(store_ptr self, std::string dsn,
                                               record_store_options opts) {
  for (size_t i = 0; i < opts.shards; ++i) {
    self->state.shards.push_back(spawn_record_shard(self, dsn, opts));
  }
  return {
    [=](load_atom atm, std::string& tenant_id) {
      auto& shard = shard_for(self, tenant_id);
      return self->delegate(shard, atm, std::move(tenant_id));
    },
    [=](commit_atom atm, record& rec) {
      auto& shard = shard_for(self, rec.tenant_id);
      return self->delegate(shard, atm, std::move(rec));
    },
    [=](note_atom atm, std::vector<record>& recs) {
      if (!recs.empty()) {
        auto& shard = shard_for(self, recs.front().tenant_id); // one tenant per batch
        self->send(shard, atm, std::move(recs));
      }
    },
    [=](stats_atom) { return collect_stats(self); },
  };
}

} // namespace

void record_store_stats::count_commit(uint64_t committed, double seconds) {
  ++batches;
  records += committed;
  commit_seconds += seconds;
  for (size_t i = 0; i < commit_bounds.size(); ++i) {
    if (seconds <= commit_bounds[i]) {
      ++commits_within[i];
    }
  }
}

record_store_stats& record_store_stats::operator+=(const record_store_stats& other) {
  batches += other.batches;
  records += other.records;
  failed += other.failed;
  reconnects += other.reconnects;
  kept += other.kept;
  shards += other.shards;
  connected += other.connected;
  for (size_t i = 0; i < commits_within.size() && i < other.commits_within.size(); ++i) {
    commits_within[i] += other.commits_within[i];
  }
  commit_seconds += other.commit_seconds;
  return *this;
}

store_actor spawn_record_store(caf::actor_system& sys, std::string dsn, record_store_options opts) {
  if (opts.shards <= 1) {
    // Nothing to route: tenants talk to the one writer (a hand-off less per record).
    return spawn_record_shard(sys, dsn, opts);
  }
  return sys.spawn(record_store, std::move(dsn), opts);
}

} // namespace leasehold::persistence
