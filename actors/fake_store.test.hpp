#pragma once

#include "actors/errc.hpp"
#include "actors/record.hpp"
#include "actors/store.hpp"
#include "tests/fixtures/actor_fixture.hpp"

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leasehold {

/// What the in-memory store of the actor tests holds and records; tests read and switch it
/// directly (the deterministic scheduler runs everything on the test's thread).
struct fake_store_data {
  std::map<std::string, tenant_snapshot> tenants;
  std::vector<record> commits;
  std::vector<record> notes;
  /// Like a lost database: records that start or change something fail with `unavailable`,
  /// session ends are still acknowledged.
  bool unavailable = false;
  /// Loads fail with this error when set.
  caf::error load_error;
  /// Commits are recorded but answered only when the store receives `flush_atom`.
  bool hold = false;
  std::vector<caf::typed_response_promise<caf::ok_atom>> held;
  /// Actors that asked for a snapshot, in order.
  std::vector<caf::actor_addr> loaders;

  /// Keeps the snapshot in step with committed records, as the database would.
  void apply(const record& rec) {
    auto& snapshot = tenants[rec.tenant_id];
    auto& sessions = snapshot.sessions;
    auto same_id = [&](const session_record& s) { return s.id == rec.session_id; };
    sessions.erase(std::remove_if(sessions.begin(), sessions.end(), same_id), sessions.end());
    if (rec.session && !ends_session(rec.kind)) {
      sessions.push_back(*rec.session);
    }
    if (rec.license) {
      auto& licenses = snapshot.licenses;
      auto same = [&](const license_terms& x) { return x.id == rec.license->id; };
      licenses.erase(std::remove_if(licenses.begin(), licenses.end(), same), licenses.end());
      licenses.push_back(*rec.license);
    }
  }

  /// Committed records of `kind`.
  std::vector<record> committed(record_kind kind) const {
    std::vector<record> result;
    for (const auto& rec : commits) {
      if (rec.kind == kind) {
        result.push_back(rec);
      }
    }
    return result;
  }

  /// Noted (lazily written) records of `kind`.
  std::vector<record> noted(record_kind kind) const {
    std::vector<record> result;
    for (const auto& rec : notes) {
      if (rec.kind == kind) {
        result.push_back(rec);
      }
    }
    return result;
  }
};

using fake_store_ptr = std::shared_ptr<fake_store_data>;

/// The store of the tests: `flush` answers the commits held back so far.
using fake_store_actor = store_actor::extend<caf::reacts_to<flush_atom>>;

/// An in-memory `store_actor` over `data`.
inline fake_store_actor::behavior_type fake_store(fake_store_actor::pointer self,
                                                  fake_store_ptr data) {
  return {
    [data](flush_atom) {
      for (auto& promise : data->held) {
        promise.deliver(caf::ok_atom_v);
      }
      data->held.clear();
    },
    [self, data](load_atom, const std::string& tenant_id) -> caf::result<tenant_snapshot> {
      data->loaders.push_back(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (data->load_error) {
        return data->load_error;
      }
      auto i = data->tenants.find(tenant_id);
      if (i == data->tenants.end()) {
        return make_error(errc::not_found, "tenant " + tenant_id + " does not exist");
      }
      return i->second;
    },
    [self, data](commit_atom, record& rec) -> caf::result<caf::ok_atom> {
      if (data->unavailable && !ends_session(rec.kind)) {
        return make_error(errc::unavailable, "the database is unreachable");
      }
      data->apply(rec);
      data->commits.push_back(std::move(rec));
      if (data->hold) {
        auto promise = self->make_response_promise<caf::ok_atom>();
        data->held.push_back(promise);
        return promise;
      }
      return caf::ok_atom_v;
    },
    [data](note_atom, std::vector<record>& recs) {
      for (auto& rec : recs) {
        data->notes.push_back(std::move(rec));
      }
    },
  };
}

/// Where a test request's answer lands: empty until it arrives.
template <class T> using reply = std::shared_ptr<std::optional<caf::expected<T>>>;

/// A one-shot client: sends `xs...` to `dest` and puts the answer into `out`.
template <class T, class Handle, class... Ts>
void ask_once(caf::event_based_actor* self, reply<T> out, Handle dest, Ts... xs) {
  self->request(dest, caf::infinite, std::move(xs)...)
    .then([out](T& value) { *out = caf::expected<T>{std::move(value)}; },
          [out](caf::error& err) { *out = caf::expected<T>{std::move(err)}; });
}

/// Sends a request from a fresh client actor without running the scheduler.
template <class T, class Handle, class... Ts>
reply<T> send_request(caf::actor_system& sys, const Handle& dest, Ts... xs) {
  auto out = std::make_shared<std::optional<caf::expected<T>>>();
  sys.spawn(ask_once<T, Handle, Ts...>, out, dest, std::move(xs)...);
  return out;
}

/// A fixture that reads the answers of `send_request`, failing the test on a missing one.
struct reply_fixture : actor_fixture {
  /// The value of an answer that arrived; fails the test on none or an error.
  template <class T> T value_of(const reply<T>& out) {
    CAF_REQUIRE(out->has_value());
    if (!**out) {
      CAF_FAIL("unexpected error: " << sys.render((*out)->error()));
    }
    return ***out;
  }

  /// The error of an answer that arrived; fails the test on none or a value.
  template <class T> caf::error error_of(const reply<T>& out) {
    CAF_REQUIRE(out->has_value());
    CAF_REQUIRE(!**out);
    return (*out)->error();
  }
};

/// A caller of tenant `tenant_id`.
inline caller make_caller(std::string tenant_id, std::string user_id,
                          role user_role = role::member) {
  return caller{std::move(tenant_id), std::move(user_id), "user@example.com", user_role};
}

} // namespace leasehold
