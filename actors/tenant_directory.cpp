#include "actors/tenant_directory.hpp"

#include "actors/errc.hpp"

#include <caf/actor_system.hpp>
#include <caf/duration.hpp>
#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace leasehold {

namespace {

/// Immediate restarts of one tenant in a row, without a request in between, before further
/// restarts wait for the next request (a tenant that fails at once must not spin).
constexpr uint32_t max_immediate_restarts = 3;

/// How long a stats request waits for a tenant's mailbox probe.
constexpr auto probe_timeout = std::chrono::seconds{1};

struct directory_state {
  store_actor store;
  tenant_options opts;
  std::map<std::string, tenant_actor> tenants;
  std::map<caf::actor_addr, std::string> by_addr;
  std::map<std::string, uint32_t> failed; // tenants that failed -> immediate restarts so far
  // Tenants asked to passivate -> their requests since, for whichever actor runs the tenant
  // once the answer is in.
  std::map<std::string, std::vector<std::function<void(const tenant_actor&)>>> held;
  uint64_t started = 0;
  uint64_t restarts = 0;
  std::map<std::string, uint64_t> failures;
  static inline const char* name = "tenant_directory";
};

using directory_ptr = tenant_directory_actor::stateful_pointer<directory_state>;

tenant_actor start_tenant(directory_ptr self, const std::string& tenant_id) {
  auto& st = self->state;
  auto hdl = spawn_tenant(self, tenant_id, st.store, st.opts);
  st.tenants[tenant_id] = hdl;
  st.by_addr[hdl.address()] = tenant_id;
  ++st.started;
  if (st.failed.count(tenant_id) > 0) {
    ++st.restarts;
  }
  return hdl;
}

/// The tenant's actor, started if it does not run.
tenant_actor tenant_for(directory_ptr self, const std::string& tenant_id) {
  auto& st = self->state;
  auto i = st.tenants.find(tenant_id);
  auto hdl = i != st.tenants.end() ? i->second : start_tenant(self, tenant_id);
  // A request reached it: it may be restarted at once again should it fail.
  st.failed.erase(tenant_id);
  return hdl;
}

template <class T, class... Ts>
caf::result<T> route(directory_ptr self, const std::string& tenant_id, Ts&&... xs) {
  if (tenant_id.empty()) {
    return make_error(errc::not_found, "no tenant given");
  }
  if (auto i = self->state.held.find(tenant_id); i != self->state.held.end()) {
    auto promise = self->make_response_promise<T>();
    i->second.push_back(
      [promise, args = std::make_tuple(std::forward<Ts>(xs)...)](const tenant_actor& hdl) mutable {
        std::apply([&](auto&... ys) { promise.delegate(hdl, std::move(ys)...); }, args);
      });
    return promise;
  }
  return self->delegate(tenant_for(self, tenant_id), std::forward<Ts>(xs)...);
}

/// Hands the requests held for `tenant_id` to its actor, started if it does not run.
void release_held(directory_ptr self, const std::string& tenant_id) {
  auto i = self->state.held.find(tenant_id);
  if (i == self->state.held.end()) {
    return;
  }
  auto held = std::move(i->second);
  self->state.held.erase(i);
  if (held.empty()) {
    return;
  }
  auto hdl = tenant_for(self, tenant_id);
  for (auto& send : held) {
    send(hdl);
  }
}

/// An idle tenant offers to stop. Its new requests wait until it answered: a tenant that got
/// busy meanwhile stays and gets them; one that stops hands them to its successor (on_down).
void on_idle(directory_ptr self) {
  auto& st = self->state;
  auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
  auto i = st.by_addr.find(sender);
  if (i == st.by_addr.end() || st.held.count(i->second) > 0) {
    return;
  }
  auto tenant_id = i->second;
  auto running = st.tenants.find(tenant_id);
  if (running == st.tenants.end() || running->second.address() != sender) {
    return;
  }
  st.held[tenant_id];
  self->request(running->second, caf::infinite, passivate_atom_v)
    .then(
      [self, tenant_id](bool stops) {
        if (!stops) {
          release_held(self, tenant_id);
        }
      },
      [](caf::error&) {
        // It ended otherwise: on_down hands its requests on.
      });
}

/// An end that is not a failure: a shutdown, or a tenant that does not exist.
bool is_regular_end(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal ||
         reason == caf::exit_reason::user_shutdown || is_errc(reason, errc::not_found);
}

/// Counts a tenant's failure and restarts it at once, unless that would fail the same way or
/// it failed too often in a row.
void restart_after_failure(directory_ptr self, const std::string& tenant_id,
                           const caf::error& reason) {
  auto& st = self->state;
  ++st.failures[self->system().render(reason)];
  auto& immediate = st.failed[tenant_id];
  // Without a database a restart would fail the same way: the next request restarts it.
  if (is_errc(reason, errc::unavailable) || reason == caf::sec::request_timeout ||
      immediate >= max_immediate_restarts) {
    return;
  }
  ++immediate;
  start_tenant(self, tenant_id); // at once: its live sessions need their timers running
}

void on_down(directory_ptr self, caf::down_msg& msg) {
  auto& st = self->state;
  auto i = st.by_addr.find(msg.source);
  if (i == st.by_addr.end()) {
    return;
  }
  auto tenant_id = i->second;
  st.by_addr.erase(i);
  auto j = st.tenants.find(tenant_id);
  if (j != st.tenants.end() && j->second.address() == msg.source) {
    st.tenants.erase(j);
  }
  if (!is_regular_end(msg.reason)) {
    restart_after_failure(self, tenant_id, msg.reason);
  }
  // Requests held while it was asked to passivate go to the tenant's next actor.
  release_held(self, tenant_id);
}

/// Mailbox probes of the running tenants, collected into one reply.
struct stats_probe {
  supervision_stats stats;
  size_t pending = 0;
  caf::typed_response_promise<supervision_stats> promise;

  void add(uint64_t mailbox, uint64_t parked) {
    auto& kind = stats.kinds.front();
    kind.mailbox_total += mailbox;
    kind.mailbox_max = std::max(kind.mailbox_max, mailbox);
    kind.parked += parked;
  }

  void done() {
    if (--pending == 0) {
      promise.deliver(stats);
    }
  }
};

caf::result<supervision_stats> stats(directory_ptr self) {
  auto& st = self->state;
  actor_kind_stats kind;
  kind.kind = "tenant";
  kind.running = st.tenants.size();
  kind.started = st.started;
  kind.restarts = st.restarts;
  kind.failures = st.failures;
  supervision_stats result;
  result.kinds.push_back(std::move(kind));
  if (st.tenants.empty()) {
    return result;
  }
  auto probe = std::make_shared<stats_probe>();
  probe->stats = std::move(result);
  probe->pending = st.tenants.size();
  probe->promise = self->make_response_promise<supervision_stats>();
  for (const auto& [tenant_id, hdl] : st.tenants) {
    // High priority so that the probe jumps the queue it measures; `caf::duration`, because
    // the std::chrono overload drops the priority.
    self->request<caf::message_priority::high>(hdl, caf::duration{probe_timeout}, stats_atom_v)
      .then(
        [probe](uint64_t mailbox, uint64_t parked) {
          probe->add(mailbox, parked);
          probe->done();
        },
        [probe](caf::error&) { probe->done(); });
  }
  return probe->promise;
}

tenant_directory_actor::behavior_type directory(directory_ptr self, store_actor store,
                                                tenant_options opts) {
  self->state.store = std::move(store);
  self->state.opts = opts;
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  // An exit handler traps every exit message, the one sent to us included: stop the tenants,
  // then ourselves.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    for (const auto& [tenant_id, hdl] : st.tenants) {
      self->send_exit(hdl, msg.reason);
    }
    st.tenants.clear();
    st.by_addr.clear();
    self->quit(msg.reason);
  });
  return {
    [self](acquire_atom a, acquire_request& req) {
      auto tenant_id = req.who.tenant_id;
      return route<lease>(self, tenant_id, a, std::move(req));
    },
    [self](heartbeat_atom a, session_request& req) {
      auto tenant_id = req.who.tenant_id;
      return route<heartbeat_ack>(self, tenant_id, a, std::move(req));
    },
    [self](release_atom a, session_request& req) {
      auto tenant_id = req.who.tenant_id;
      return route<caf::ok_atom>(self, tenant_id, a, std::move(req));
    },
    [self](revoke_atom a, session_request& req) {
      auto tenant_id = req.who.tenant_id;
      return route<caf::ok_atom>(self, tenant_id, a, std::move(req));
    },
    [self](list_sessions_atom a, caller& who) {
      auto tenant_id = who.tenant_id;
      return route<std::vector<session_record>>(self, tenant_id, a, std::move(who));
    },
    [self](list_licenses_atom a, std::string& tenant_id) {
      auto id = tenant_id;
      return route<std::vector<license_view>>(self, id, a, std::move(tenant_id));
    },
    [self](add_license_atom a, license_terms& terms) {
      auto tenant_id = terms.tenant_id;
      return route<license_view>(self, tenant_id, a, std::move(terms));
    },
    [self](patch_license_atom a, license_patch& patch) {
      auto tenant_id = patch.tenant_id;
      return route<license_view>(self, tenant_id, a, std::move(patch));
    },
    [self](stats_atom) { return stats(self); },
    [self](idle_atom) { on_idle(self); },
  };
}

} // namespace

tenant_directory_actor spawn_tenant_directory(caf::actor_system& sys, store_actor store,
                                              tenant_options opts) {
  return sys.spawn(directory, std::move(store), opts);
}

} // namespace leasehold
