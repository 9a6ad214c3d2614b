#include "persistence/record_shard.hpp"

#include "actors/errc.hpp"
#include "persistence/pg.hpp"
#include "persistence/record_sql.hpp"
#include "persistence/tenant_loader.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace leasehold::persistence {

namespace {

using ok_promise = caf::typed_response_promise<caf::ok_atom>;

// A record waiting for its transaction. Without a promise nobody waits for the reply: a note,
// or a session end that was acknowledged while the database was unreachable.
struct pending {
  record rec;
  caf::optional<ok_promise> promise;
};

using session_key = std::pair<std::string, std::string>; // tenant, session

struct shard_state {
  std::string dsn;
  record_store_options opts;
  std::unique_ptr<pg_connection> conn;      // null while the database is unreachable
  std::deque<pending> queue;                // commits, denials and kept records in arrival order
  std::map<session_key, record> heartbeats; // coalesced: the last heartbeat of a session wins
  bool flush_sent = false;
  bool note_timer_armed = false;
  bool draining_notes = false; // the note timer fired: write every coalesced heartbeat now
  bool reconnect_armed = false;
  bool was_connected = false;
  std::chrono::milliseconds backoff{0};
  record_store_stats stats;
  static inline const char* name = "record_shard";
};

using shard_ptr = record_shard_actor::stateful_pointer<shard_state>;

// Records that end a session are acknowledged even while the database is unreachable and
// written later: losing one could only free a seat late, never grant one twice.
bool is_kept_while_down(const record& rec) { return ends_session(rec.kind); }

bool is_note_kind(record_kind kind) {
  return kind == record_kind::heartbeat || kind == record_kind::deny;
}

void deliver(pending& p, caf::error err) {
  if (!p.promise) {
    return;
  }
  if (err) {
    p.promise->deliver(std::move(err));
  } else {
    p.promise->deliver(caf::ok_atom::value);
  }
  p.promise = caf::none;
}

size_t kept_count(const shard_state& st) { return st.queue.size() + st.heartbeats.size(); }

// -- connection -----------------------------------------------------------------------------

caf::error connect(shard_ptr self) {
  auto& st = self->state;
  auto conn = pg_connection::connect(st.dsn);
  if (!conn) {
    return std::move(conn.error());
  }
  if (auto err = prepare_writer(*conn)) {
    return err;
  }
  st.conn = std::make_unique<pg_connection>(std::move(*conn));
  if (st.was_connected) {
    ++st.stats.reconnects;
  }
  st.was_connected = true;
  st.backoff = std::chrono::milliseconds{0};
  return caf::none;
}

void arm_reconnect(shard_ptr self) {
  auto& st = self->state;
  if (st.reconnect_armed) {
    return;
  }
  st.reconnect_armed = true;
  st.backoff = st.backoff.count() == 0 ? st.opts.reconnect_min
                                       : std::min(st.backoff * 2, st.opts.reconnect_max);
  self->delayed_send(self, st.backoff, reconnect_atom::value);
}

void connection_lost(shard_ptr self) {
  self->state.conn.reset();
  arm_reconnect(self);
}

void schedule_flush(shard_ptr self) {
  auto& st = self->state;
  if (!st.flush_sent && st.conn != nullptr) {
    // Goes behind the records already in the mailbox: they join this batch.
    st.flush_sent = true;
    self->send(self, flush_atom::value);
  }
}

void arm_note_timer(shard_ptr self) {
  auto& st = self->state;
  if (!st.note_timer_armed) {
    st.note_timer_armed = true;
    self->delayed_send(self, st.opts.note_delay, note_timer_atom::value);
  }
}

// -- committing -----------------------------------------------------------------------------

// Sends one statement of a pipeline; false if libpq refused (connection gone).
bool send_statement(PGconn* conn, const bound_statement& stmt) {
  pg_param_layout layout{stmt.params, stmt.binary};
  return PQsendQueryPrepared(conn, stmt.name, layout.count(), layout.values.data(),
                             layout.lengths.data(), layout.formats.data(), 0) == 1;
}

bool send_plain(PGconn* conn, const char* sql) {
  return PQsendQueryParams(conn, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
}

// Fails the records `stmt` had to confirm and did not: it touched no row, or (a bulk
// statement) its result does not list their positions.
void note_unconfirmed(const bound_statement& stmt, const pg_result& res,
                      std::vector<caf::error>& results) {
  if (stmt.must_confirm.empty()) {
    return;
  }
  std::vector<size_t> confirmed;
  if (stmt.confirms_by_returning) {
    for (int row = 0; row < res.rows(); ++row) {
      confirmed.push_back(static_cast<size_t>(res.int64(row, 0)));
    }
  } else if (std::strcmp(PQcmdTuples(res.get()), "0") != 0) {
    confirmed = stmt.must_confirm;
  }
  for (auto position : stmt.must_confirm) {
    if (std::find(confirmed.begin(), confirmed.end(), position) == confirmed.end() &&
        position < results.size()) {
      results[position] = make_error(stmt.no_row);
    }
  }
}

// Reads the result of one pipelined statement. Sets `failure` on the first error and fails
// the records of `results` the statement had to confirm but did not; false if the connection
// broke.
bool read_result(PGconn* conn, const bound_statement* stmt, caf::error& failure,
                 std::vector<caf::error>& results) {
  pg_result res{PQgetResult(conn)};
  if (!res) {
    if (!failure) {
      failure = pg_error(conn, nullptr);
    }
    return PQstatus(conn) == CONNECTION_OK;
  }
  switch (res.status()) {
  case PGRES_COMMAND_OK:
  case PGRES_TUPLES_OK:
    if (stmt != nullptr && !failure) {
      note_unconfirmed(*stmt, res, results);
    }
    break;
  case PGRES_PIPELINE_ABORTED:
    break;
  default:
    if (!failure) {
      failure = pg_error(conn, res.get());
    }
    break;
  }
  // Each query's results end with a null result.
  pg_result end{PQgetResult(conn)};
  return PQstatus(conn) == CONNECTION_OK;
}

using outcome = caf::expected<std::vector<caf::error>>;

// Writes `statements` (about `records` records) in one transaction, every statement pipelined
// behind the others (one round trip for the whole batch). On success, one result per record:
// none, or the record's own refusal (e.g. a renew of a session that ended meanwhile). On
// failure nothing was written.
//
// This is the one place every write passes through; the ownership fence (each tenant's epoch
// checked against tenant_owner inside the transaction) belongs here.
outcome write_batch(pg_connection& db, const std::vector<bound_statement>& statements,
                    size_t records) {
  auto* conn = db.get();
  if (PQenterPipelineMode(conn) != 1) {
    return pg_error(conn, nullptr);
  }
  auto sent = send_plain(conn, "BEGIN");
  for (auto& stmt : statements) {
    sent = sent && send_statement(conn, stmt);
  }
  sent = sent && send_plain(conn, "COMMIT") && PQpipelineSync(conn) == 1;
  if (!sent) {
    // The caller drops this connection: nothing to clean up in its pipeline.
    return make_error(errc::unavailable, "database unavailable: could not send the batch");
  }
  caf::error failure;
  std::vector<caf::error> results(records);
  auto alive = read_result(conn, nullptr, failure, results); // BEGIN
  for (size_t i = 0; alive && i < statements.size(); ++i) {
    alive = read_result(conn, &statements[i], failure, results);
  }
  alive = alive && read_result(conn, nullptr, failure, results); // COMMIT
  if (!alive) {
    return failure ? failure : make_error(errc::unavailable, "database unavailable");
  }
  pg_result sync{PQgetResult(conn)};
  if (!sync || sync.status() != PGRES_PIPELINE_SYNC || PQexitPipelineMode(conn) != 1) {
    return make_error(errc::unavailable, "database unavailable: pipeline out of step");
  }
  if (failure) {
    // An error inside BEGIN .. COMMIT leaves the transaction aborted until a ROLLBACK.
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
      db.exec_script("ROLLBACK");
    }
    return failure;
  }
  return results;
}

// Takes the next batch off the queue: up to max_batch records, then the coalesced heartbeats.
std::vector<pending> take_batch(shard_state& st) {
  std::vector<pending> batch;
  while (!st.queue.empty() && batch.size() < st.opts.max_batch) {
    batch.push_back(std::move(st.queue.front()));
    st.queue.pop_front();
  }
  while (!st.heartbeats.empty() && batch.size() < st.opts.max_batch) {
    auto i = st.heartbeats.begin();
    batch.push_back({std::move(i->second), caf::none});
    st.heartbeats.erase(i);
  }
  return batch;
}

// Puts records back after the connection broke: the ones nobody waits for are kept, in their
// order, before anything that arrived since; records that need a commit fail now.
void requeue_after_loss(shard_ptr self, std::vector<pending>& batch, const caf::error& err) {
  auto& st = self->state;
  std::vector<pending> keep;
  for (auto& p : batch) {
    if (p.rec.kind == record_kind::heartbeat) {
      // A newer heartbeat of the same session may have arrived: that one wins.
      st.heartbeats.emplace(session_key{p.rec.tenant_id, p.rec.session_id}, std::move(p.rec));
      continue;
    }
    if (p.promise && !is_kept_while_down(p.rec)) {
      ++st.stats.failed;
      deliver(p, err);
      continue;
    }
    if (kept_count(st) + keep.size() >= st.opts.max_kept) {
      ++st.stats.failed;
      deliver(p, err);
      continue;
    }
    deliver(p, caf::none); // a session end: acknowledged now, written when the database is back
    keep.push_back(std::move(p));
  }
  for (auto i = keep.rbegin(); i != keep.rend(); ++i) {
    st.queue.push_front(std::move(*i));
  }
}

// Commits `batch`; on a statement error, retries its records one by one so that one bad
// record fails alone.
void commit(shard_ptr self, std::vector<pending>& batch) {
  auto& st = self->state;
  std::vector<const record*> records;
  std::vector<pending*> writable;
  for (auto& p : batch) {
    if (auto err = check_record(p.rec)) {
      ++st.stats.failed;
      deliver(p, std::move(err));
      continue;
    }
    records.push_back(&p.rec);
    writable.push_back(&p);
  }
  if (writable.empty()) {
    return;
  }
  auto statements = batch_statements(records);
  auto started = std::chrono::steady_clock::now();
  auto result = write_batch(*st.conn, statements, records.size());
  if (!result && is_errc(result.error(), errc::unavailable)) {
    // The connection may just have been cut (server restart, idle kill): one fresh try.
    st.conn.reset();
    if (!connect(self)) {
      started = std::chrono::steady_clock::now();
      result = write_batch(*st.conn, statements, records.size());
    }
  }
  if (result) {
    st.stats.count_commit(
      writable.size(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    for (size_t i = 0; i < writable.size(); ++i) {
      if ((*result)[i]) {
        ++st.stats.failed;
      }
      deliver(*writable[i], std::move((*result)[i]));
    }
    return;
  }
  if (is_errc(result.error(), errc::unavailable)) {
    std::vector<pending> rest;
    for (auto* p : writable) {
      rest.push_back(std::move(*p));
    }
    connection_lost(self);
    requeue_after_loss(self, rest, result.error());
    return;
  }
  if (writable.size() == 1) {
    ++st.stats.failed;
    deliver(*writable.front(), std::move(result.error()));
    return;
  }
  for (auto* p : writable) {
    std::vector<pending> single;
    single.push_back(std::move(*p));
    if (st.conn == nullptr) {
      requeue_after_loss(self, single, make_error(errc::unavailable, "database unavailable"));
    } else {
      commit(self, single);
    }
  }
}

void flush(shard_ptr self) {
  auto& st = self->state;
  if (st.conn == nullptr) {
    return; // the reconnect flushes what waits
  }
  auto batch = take_batch(st);
  if (!batch.empty()) {
    commit(self, batch);
  }
  // Records go out as fast as the database takes them; heartbeats wait for the note timer and
  // then all go out, one batch after the other (else the map of waiting ones would only grow).
  if (!st.queue.empty() || (st.draining_notes && !st.heartbeats.empty())) {
    schedule_flush(self);
  } else {
    st.draining_notes = false;
    if (!st.heartbeats.empty()) {
      arm_note_timer(self);
    }
  }
}

// -- handlers -------------------------------------------------------------------------------

void on_note(shard_ptr self, record& rec);

caf::result<caf::ok_atom> on_commit(shard_ptr self, record& rec) {
  auto& st = self->state;
  if (is_note_kind(rec.kind)) {
    // A note sent as a commit: written lazily like one, nobody needs to wait for it.
    on_note(self, rec);
    return caf::ok_atom::value;
  }
  if (st.conn == nullptr) {
    if (!is_kept_while_down(rec)) {
      ++st.stats.failed;
      return make_error(errc::unavailable, "database unavailable");
    }
    if (kept_count(st) >= st.opts.max_kept) {
      ++st.stats.failed;
      return make_error(errc::unavailable, "database unavailable and too many records waiting");
    }
    st.queue.push_back({std::move(rec), caf::none});
    return caf::ok_atom::value;
  }
  auto promise = self->make_response_promise<caf::ok_atom>();
  st.queue.push_back({std::move(rec), promise});
  schedule_flush(self);
  return promise;
}

void on_note(shard_ptr self, record& rec) {
  auto& st = self->state;
  if (rec.kind == record_kind::heartbeat) {
    if (rec.session_id.empty() && rec.session) {
      rec.session_id = rec.session->id;
    }
    session_key key{rec.tenant_id, rec.session_id};
    auto i = st.heartbeats.find(key);
    if (i != st.heartbeats.end()) {
      i->second = std::move(rec);
    } else if (kept_count(st) < st.opts.max_kept) {
      st.heartbeats.emplace(std::move(key), std::move(rec));
    } else {
      ++st.stats.failed; // dropped: a live session gets a fresh TTL on recovery anyway
    }
  } else if (kept_count(st) < st.opts.max_kept) {
    st.queue.push_back({std::move(rec), caf::none});
  } else {
    ++st.stats.failed;
  }
  if (st.conn != nullptr) {
    arm_note_timer(self);
  }
}

caf::result<tenant_snapshot> on_load(shard_ptr self, const std::string& tenant_id) {
  auto& st = self->state;
  if (st.conn == nullptr) {
    return make_error(errc::unavailable, "database unavailable");
  }
  // Everything this tenant sent before the load is in the snapshot.
  while (st.conn != nullptr && !st.queue.empty()) {
    auto batch = take_batch(st);
    commit(self, batch);
  }
  if (st.conn == nullptr) {
    return make_error(errc::unavailable, "database unavailable");
  }
  auto snapshot = load_tenant(*st.conn, tenant_id);
  if (!snapshot) {
    if (is_errc(snapshot.error(), errc::unavailable)) {
      connection_lost(self);
    }
    return std::move(snapshot.error());
  }
  return std::move(*snapshot);
}

void on_reconnect(shard_ptr self) {
  auto& st = self->state;
  st.reconnect_armed = false;
  if (st.conn != nullptr) {
    return;
  }
  if (connect(self)) {
    arm_reconnect(self);
    return;
  }
  schedule_flush(self); // what waited while the database was away
}

record_store_stats on_stats(shard_ptr self) {
  auto& st = self->state;
  auto stats = st.stats;
  stats.kept = kept_count(st);
  stats.shards = 1;
  stats.connected = st.conn != nullptr ? 1 : 0;
  return stats;
}

record_shard_actor::behavior_type record_shard(shard_ptr self, std::string dsn,
                                               record_store_options opts) {
  auto& st = self->state;
  st.dsn = std::move(dsn);
  st.opts = opts;
  if (connect(self)) {
    arm_reconnect(self);
  }
  self->set_exit_handler([self](caf::exit_msg& msg) {
    // Shutting down: write what waits, if the database is there.
    while (self->state.conn != nullptr &&
           (!self->state.queue.empty() || !self->state.heartbeats.empty())) {
      auto batch = take_batch(self->state);
      commit(self, batch);
    }
    self->quit(msg.reason);
  });
  return {
    [=](load_atom, const std::string& tenant_id) { return on_load(self, tenant_id); },
    [=](commit_atom, record& rec) { return on_commit(self, rec); },
    [=](note_atom, std::vector<record>& recs) {
      for (auto& rec : recs) {
        on_note(self, rec);
      }
    },
    [=](stats_atom) { return on_stats(self); },
    [=](flush_atom) {
      self->state.flush_sent = false;
      flush(self);
    },
    [=](note_timer_atom) {
      self->state.note_timer_armed = false;
      self->state.draining_notes = true;
      flush(self);
    },
    [=](reconnect_atom) { on_reconnect(self); },
  };
}

} // namespace

record_shard_actor spawn_record_shard(caf::local_actor* parent, const std::string& dsn,
                                      const record_store_options& opts) {
  return parent->spawn<caf::detached + caf::linked>(record_shard, dsn, opts);
}

record_shard_actor spawn_record_shard(caf::actor_system& sys, const std::string& dsn,
                                      const record_store_options& opts) {
  return sys.spawn<caf::detached>(record_shard, dsn, opts);
}

} // namespace leasehold::persistence
