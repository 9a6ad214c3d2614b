// Outages under load: PostgreSQL stopped and started again beneath a running server, and a
// server killed with SIGKILL while clients acquire, heartbeat and release.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay, setImmediate as nextTurn } from 'node:timers/promises';

import {
  addUser,
  assertError,
  assertRetryAfter,
  createLicense,
  register,
  viewLicense,
} from './lib/fixtures.js';
import { assertNoSeats, seatApi } from './lib/seats.js';
import { requiresPostgres, useServer } from './lib/suite.js';
import { until } from './lib/waiting.js';

const RATE_LIMIT = ['--rate-limit-user-per-min', '1000000'];

/// A client's view of the seat API; every answer is kept with when it was sent and received.
function seatClient(server, token, log) {
  const call = async (kind, body, sessionId) => {
    const entry = { kind, sessionId, sent: Date.now(), received: null, res: null, error: null };
    log.push(entry);
    try {
      entry.res = await server.post(`/api/v1/licenses/${kind}`, body, { token });
    } catch (err) {
      entry.error = err;
    }
    entry.received = Date.now();
    return entry;
  };
  return {
    acquire: (licenseId, hw) => call('acquire', { license_id: licenseId, hardware_id: hw }),
    heartbeat: (sid) => call('heartbeat', { session_id: sid }, sid),
    release: (sid) => call('release', { session_id: sid }, sid),
  };
}

/// Asserts no answer in `log` is a 5xx other than 503, and no seat count passes the limit.
function assertSeatCountsAndNo500(log, limit) {
  for (const { kind, res } of log) {
    if (!res) continue;
    assert.ok(res.status < 500 || res.status === 503, `${kind} answered ${res.status}: ${res.text}`);
    const used = res.json?.seats_used;
    if (used !== undefined) {
      assert.ok(used <= limit, `${kind}: seats_used ${used} > seats_total + overdraft ${limit}: ${res.text}`);
    }
  }
}

const sqlList = (ids) => ids.map((id) => `'${id}'`).join(',');

describe('database outage under load', requiresPostgres, () => {
  // PostgreSQL of the suite's own, stopped and started beneath the running server.
  const server = useServer({ args: RATE_LIMIT, privatePostgres: true });

  it('refuses acquires with 503 while PostgreSQL is down, keeps heartbeats and releases, and loses nothing', async (t) => {
    const owner = await register(server);
    const members = [await addUser(server, owner.token, 'member'), await addUser(server, owner.token, 'member')];
    const seatsTotal = 40;
    const overdraft = 2;
    const lic = await createLicense(server, owner.tenant.id, {
      seats_total: seatsTotal,
      overdraft_seats: overdraft,
    });
    const limit = seatsTotal + overdraft;
    const log = [];
    const tokens = [owner.token, ...members.map((m) => m.token)];

    // Six clients, two per user, each starting with four sessions and holding at most five
    // (6 * 5 < 40 seats, so no acquire is ever refused for lack of seats). While acquires fail,
    // the clients release down to one session each, one release per 400 ms and client, so
    // releases go on during the outage.
    const clients = Array.from({ length: 6 }, (_, i) => ({
      name: `c${i}`,
      api: seatClient(server, tokens[i % tokens.length], log),
      held: [],
      next: 0,
      lastRelease: 0,
    }));
    for (const client of clients) {
      for (let n = 0; n < 4; ++n) {
        const { res } = await client.api.acquire(lic.id, `${client.name}-init-${n}`);
        assert.equal(res?.status, 200, `initial acquire: ${res?.text}`);
        client.held.push(res.json.session_id);
      }
    }

    const phase = { downFrom: Infinity, downUntil: -Infinity };
    const acked = { released: [], acquired: [] };
    let stopLoad = false;
    const loop = async (client) => {
      // Bounded: the test ends the loop, and it never runs more than 2,000 steps.
      for (let step = 0; !stopLoad && step < 2000; ++step) {
        const pick = step % 3;
        if (pick === 0 && client.held.length < 5) {
          const e = await client.api.acquire(lic.id, `${client.name}-${client.next++}`);
          if (e.res?.status === 200) {
            client.held.push(e.res.json.session_id);
            acked.acquired.push(e.res.json.session_id);
          }
        } else if (pick === 1 && client.held.length > 0) {
          await client.api.heartbeat(client.held[step % client.held.length]);
        } else if (client.held.length > 1 && Date.now() - client.lastRelease >= 400) {
          client.lastRelease = Date.now();
          const sid = client.held.shift();
          const e = await client.api.release(sid);
          if (e.res?.status === 200) acked.released.push({ sid, sent: e.sent });
        } else if (client.held.length > 0) {
          await client.api.heartbeat(client.held[0]);
        }
        // Let the other clients and the timers run between steps.
        await nextTurn();
      }
    };
    const load = Promise.all(clients.map(loop));
    let readyAt = Infinity;
    try {
      await until('some load before the outage', () => log.length > 60, { timeoutMs: 10_000 });
      await server.postgres.stop();
      phase.downFrom = Date.now();
      const downBefore = log.length;
      // Keep the load going for a while with the database gone.
      await until(
        'load while the database is down',
        () =>
          Date.now() - phase.downFrom > 3000 &&
          log.length - downBefore > 60 &&
          acked.released.some((r) => r.sent >= phase.downFrom),
        { timeoutMs: 15_000 },
      );
      const readyStatus = async () => (await server.get('/ready')).status;
      await until('/ready to fail while the database is down', async () => (await readyStatus()) === 503, {
        timeoutMs: 5000,
      });
      phase.downUntil = Date.now();
      await server.postgres.start();
      await until('/ready after the database is back', async () => (await readyStatus()) === 200, {
        timeoutMs: 20_000,
        intervalMs: 100,
      });
      readyAt = Date.now();
      // Acquires work again on the same server process: the load goes on until six acquires
      // in a row were granted.
      await until(
        'six granted acquires in a row after the database is back',
        () => {
          const last = log.filter((e) => e.kind === 'acquire' && e.sent > readyAt && e.res).slice(-6);
          return last.length === 6 && last.every((e) => e.res.status === 200);
        },
        { timeoutMs: 15_000 },
      );
    } finally {
      stopLoad = true;
      await load;
      const t0 = phase.downFrom;
      const after = log.filter((e) => e.kind === 'acquire' && e.sent > phase.downUntil);
      const firstGrant = after.find((e) => e.res?.status === 200);
      const lastRefusal = after.filter((e) => e.res?.status !== 200).at(-1);
      // Acquires come back when the store's reconnect backoff fires, a little after /ready.
      t.diagnostic(
        `outage ${phase.downUntil - t0} ms, ready at +${readyAt - t0} ms, first grant sent at ` +
          `+${firstGrant?.sent - t0} ms, last refusal sent at +${lastRefusal?.sent - t0} ms`,
      );
    }

    for (const e of log) assert.equal(e.error, null, `${e.kind} failed: ${e.error?.message}`);
    assertSeatCountsAndNo500(log, limit);
    const during = log.filter((e) => e.sent >= phase.downFrom && e.received <= phase.downUntil);
    const byKind = (entries, kind) => entries.filter((e) => e.kind === kind);
    assert.ok(byKind(during, 'acquire').length > 0, 'acquires ran while the database was down');
    assert.ok(byKind(during, 'heartbeat').length > 0, 'heartbeats ran while the database was down');
    assert.ok(byKind(during, 'release').length > 0, 'releases ran while the database was down');
    for (const e of byKind(during, 'acquire')) {
      // Never a seat that is not recorded.
      assertError(e.res, 503, 'unavailable');
      assertRetryAfter(e.res);
    }
    for (const e of [...byKind(log, 'heartbeat'), ...byKind(log, 'release')]) {
      const when = `${e.sent - phase.downFrom} ms after the outage began`;
      assert.equal(e.res.status, 200, `${e.kind} of ${e.sessionId} ${when}: ${e.res.text}`);
    }
    // Acquires work again on the same server process once /ready says so.
    const lastAcquires = byKind(log, 'acquire').slice(-6);
    for (const e of lastAcquires) assert.equal(e.res.status, 200, `acquire after recovery: ${e.res.text}`);
    assert.equal(server.exited, null, 'the server kept running');

    // Every acknowledged release reaches the database once it is back, and every acknowledged
    // acquire that was not released is live there.
    const releasedIds = acked.released.map((r) => r.sid);
    const releasedDuringOutage = acked.released.filter((r) => r.sent >= phase.downFrom && r.sent <= phase.downUntil);
    assert.ok(releasedDuringOutage.length > 0, 'some releases were acknowledged during the outage');
    const recorded = () =>
      Number(
        server.db.query(
          `SELECT count(*) FROM sessions WHERE id IN (${sqlList(releasedIds)}) ` +
            `AND ended_at IS NOT NULL AND end_reason = 'release'`,
        ),
      );
    await until(
      `all ${releasedIds.length} acknowledged releases recorded (have ${recorded()})`,
      () => recorded() === releasedIds.length,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const releaseEvents = Number(
      server.db.query(`SELECT count(*) FROM audit_log WHERE action = 'release' AND session_id IN (${sqlList(releasedIds)})`),
    );
    assert.equal(releaseEvents, releasedIds.length, 'every acknowledged release is in the audit log');
    const held = clients.flatMap((c) => c.held);
    const liveInDb = server.db
      .query(`SELECT id FROM sessions WHERE license_id = '${lic.id}' AND ended_at IS NULL ORDER BY id`)
      .split('\n')
      .filter(Boolean);
    assert.deepEqual(liveInDb, [...held].sort(), 'the live sessions in the database are exactly the held ones');
    const view = await viewLicense(server, owner.token, lic.id);
    assert.equal(view.seats_used, held.length, 'seats_used counts the held sessions');
  });
});

describe('kill -9 under load', requiresPostgres, () => {
  const server = useServer({ args: RATE_LIMIT });

  it('keeps every granted session and an exact seat count across SIGKILL and restart', async (t) => {
    const owner = await register(server);
    const member = await addUser(server, owner.token, 'member');
    const seatsTotal = 10;
    const overdraft = 1;
    const limit = seatsTotal + overdraft;
    const lic = await createLicense(server, owner.tenant.id, {
      seats_total: seatsTotal,
      overdraft_seats: overdraft,
    });
    const tokens = [owner.token, member.token];
    const log = [];
    // A session is "granted" once its acquire answered 200, "releasing" once a release was sent
    // (its fate is open if the kill cut the answer), "released" once the release answered 200.
    const sessions = new Map(); // session id -> { token, state }
    let killed = false;
    const loop = async (i) => {
      const token = tokens[i % tokens.length];
      const api = seatClient(server, token, log);
      for (let round = 0; !killed && round < 500; ++round) {
        const { res } = await api.acquire(lic.id, `k${i}-${round}`);
        if (res?.status !== 200) {
          // A refused client backs off a little before it asks again, like a real one.
          await delay(5);
          continue;
        }
        const sid = res.json.session_id;
        sessions.set(sid, { token, state: 'granted' });
        for (let beat = 0; beat < 2 && !killed; ++beat) await api.heartbeat(sid);
        // Half of the sessions are kept, so seats stay scarce.
        if (killed || round % 2 === 1) continue;
        sessions.get(sid).state = 'releasing';
        const rel = await api.release(sid);
        if (rel.res?.status === 200) sessions.get(sid).state = 'released';
      }
    };
    // Twenty-four clients for eleven seats.
    const load = Promise.all(Array.from({ length: 24 }, (_, i) => loop(i)));
    try {
      await until('grants and releases before the kill', () => {
        const states = [...sessions.values()].map((s) => s.state);
        return states.filter((s) => s === 'released').length >= 10 && log.length > 200;
      }, { timeoutMs: 20_000 });
      const exit = await server.kill9();
      assert.equal(exit.signal, 'SIGKILL');
    } finally {
      killed = true;
      await load;
    }
    // Answers that came back before the kill; the cut ones failed on the client side.
    assertSeatCountsAndNo500(log, limit);
    for (const { kind, res } of log) {
      if (!res) continue;
      if (kind === 'acquire' && res.status !== 200) assertError(res, 429, 'no_seats_available');
      else assert.equal(res.status, 200, `${kind} before the kill: ${res.text}`);
    }

    await server.start();
    const { acquire, heartbeat } = seatApi(server);
    const granted = [...sessions].filter(([, s]) => s.state === 'granted');
    const released = [...sessions].filter(([, s]) => s.state === 'released');
    assert.ok(granted.length > 0, 'some sessions were held at the kill');
    for (const [sid, { token }] of granted) {
      const hb = await heartbeat(token, sid);
      assert.equal(hb.status, 200, `granted session ${sid} after restart: ${hb.text}`);
      assert.equal(hb.json.status, 'ok');
    }
    // A release acknowledged before the kill stays released.
    for (const [sid, { token }] of released) {
      assertError(await heartbeat(token, sid), 404, 'session_not_found');
    }

    const liveInDb = Number(
      server.db.query(`SELECT count(*) FROM sessions WHERE license_id = '${lic.id}' AND ended_at IS NULL`),
    );
    const view = await viewLicense(server, owner.token, lic.id);
    assert.equal(view.seats_used, liveInDb, 'seats_used equals the live sessions in the database');
    assert.ok(liveInDb <= limit, `live sessions ${liveInDb} <= ${limit}`);
    assert.ok(liveInDb >= granted.length, `every granted session is live (${liveInDb} >= ${granted.length})`);
    t.diagnostic(
      `held at the kill ${granted.length}, released before it ${released.length}, ` +
        `live after restart ${liveInDb}`,
    );
    const listed = await server.get('/api/v1/sessions', { token: owner.token });
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.sessions.filter((s) => s.license_id === lic.id).length, liveInDb);

    // The free seats, and no more, go to new machines.
    const free = limit - liveInDb;
    const results = await Promise.all(
      Array.from({ length: free + 5 }, (_, i) =>
        acquire(owner.token, { license_id: lic.id, hardware_id: `after-${i}` }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 200).length, free, results.map((r) => r.status).join());
    for (const res of results.filter((r) => r.status !== 200)) {
      assertNoSeats(res, { used: limit, total: seatsTotal, overdraft });
    }
  });
});
