// Seats: exact counting under concurrency, leases and their tokens, re-acquire, overdraft,
// heartbeat and release, waiting, expiry, tenant isolation, seat reduction, license states,
// session administration and the audit log.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  UNKNOWN_ID,
  UUID,
  addUser,
  assertError,
  assertTime,
  createLicense,
  patchLicense,
  register,
  verifyToken,
  viewLicense,
} from './lib/fixtures.js';
import { assertNoSeats, granted, seatApi } from './lib/seats.js';
import { requiresPostgres, useServer } from './lib/suite.js';
import { isPending, parkedAcquires, until, untilParked } from './lib/waiting.js';

describe('seats', requiresPostgres, () => {
  const server = useServer({ args: ['--rate-limit-user-per-min', '100000'] });
  let owner; // { token, user, tenant }
  let member; // { token, user }
  let other; // owner of another tenant

  before(async () => {
    owner = await register(server);
    member = await addUser(server, owner.token, 'member');
    other = await register(server);
  });

  const { acquire, heartbeat, release } = seatApi(server);
  const license = (token, id) => viewLicense(server, token, id);

  it('grants exactly seats_total seats to 200 concurrent acquires', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 10 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        acquire(owner.token, { license_id: lic.id, hardware_id: `burst-${i}` }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const denied = results.filter((r) => r.status !== 200);
    assert.equal(ok.length, 10, `granted: ${ok.length}`);
    assert.equal(denied.length, 190);
    for (const res of denied) assertNoSeats(res, { used: 10, total: 10 });
    const sessions = new Set(ok.map((r) => r.json.session_id));
    assert.equal(sessions.size, 10, 'ten distinct sessions');
    for (const res of ok) {
      assert.equal(res.json.license_id, lic.id);
      assert.ok(res.json.seats_used >= 1 && res.json.seats_used <= 10, res.text);
    }
    assert.equal((await license(owner.token, lic.id)).seats_used, 10);
    const list = await server.get('/api/v1/sessions', { token: owner.token });
    assert.equal(list.status, 200, list.text);
    const mine = list.json.sessions.filter((s) => s.license_id === lic.id);
    assert.deepEqual(new Set(mine.map((s) => s.id)), sessions);
  });

  it('answers a lease whose token verifies and carries the API claims', async () => {
    const features = { export: true, beta: false };
    const lic = await createLicense(server, owner.tenant.id, {
      tier: 'team',
      seats_total: 3,
      features,
      heartbeat_interval: 30,
      session_ttl: 60,
      offline_grace: 7200,
    });
    const before = Math.floor(Date.now() / 1000);
    const lease = granted(
      await acquire(owner.token, {
        license_id: lic.id,
        hardware_id: 'claims-machine',
        hostname: 'host-1',
        os: 'linux',
        version: '1.2.3',
      }),
    );
    const afterSec = Math.ceil(Date.now() / 1000);
    assert.equal(lease.license_id, lic.id);
    assert.match(lease.session_id, UUID);
    assert.equal(lease.seats_used, 1);
    assert.equal(lease.seats_total, 3);
    assert.equal(lease.heartbeat_interval, 30);
    assert.equal(lease.session_ttl, 60);
    const expires = assertTime(lease.expires_at, 'expires_at') / 1000;
    assert.ok(expires >= before + 59 && expires <= afterSec + 60, `expires_at ${lease.expires_at}`);
    const offline = assertTime(lease.offline_valid_until, 'offline_valid_until') / 1000;
    assert.ok(offline >= before + 7199 && offline <= afterSec + 7200, lease.offline_valid_until);

    const { payload, protectedHeader } = await verifyToken(server, lease.lease_token);
    assert.equal(protectedHeader.alg, 'EdDSA');
    assert.equal(payload.sub, owner.user.id);
    assert.equal(payload.tid, owner.tenant.id);
    assert.equal(payload.lid, lic.id);
    assert.equal(payload.sid, lease.session_id);
    assert.equal(payload.hwid, 'claims-machine');
    assert.equal(payload.tier, 'team');
    assert.deepEqual(payload.features, features);
    assert.equal(typeof payload.iss, 'string');
    assert.equal(payload.exp, offline, 'exp equals offline_valid_until');
    assert.equal(payload.exp - payload.iat, 7200, 'exp = iat + offline_grace');

    const list = await server.get('/api/v1/sessions', { token: owner.token });
    const session = list.json.sessions.find((s) => s.id === lease.session_id);
    assert.ok(session, 'the session is listed');
    assert.equal(session.license_id, lic.id);
    assert.equal(session.user_id, owner.user.id);
    assert.equal(session.user_email, owner.email);
    assert.equal(session.hardware_id, 'claims-machine');
    assert.equal(session.hostname, 'host-1');
    assert.equal(session.os, 'linux');
    assert.equal(session.version, '1.2.3');
    assertTime(session.acquired_at);
    assertTime(session.last_heartbeat_at);
    assert.equal(session.expires_at, lease.expires_at);
  });

  it('picks the license by product when no license id is given', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 1 });
    const lease = granted(await acquire(owner.token, { product: lic.product, hardware_id: 'by-product' }));
    assert.equal(lease.license_id, lic.id);
  });

  it('returns the same session when the same user re-acquires on the same machine', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 2 });
    const first = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'same' }));
    const again = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'same' }));
    assert.equal(again.session_id, first.session_id);
    assert.equal(again.seats_used, 1, 'no second seat');
    assert.ok(Date.parse(again.expires_at) >= Date.parse(first.expires_at));
    // The same machine under another user is another session.
    const theirs = granted(await acquire(member.token, { license_id: lic.id, hardware_id: 'same' }));
    assert.notEqual(theirs.session_id, first.session_id);
    assert.equal(theirs.seats_used, 2);
    assert.equal((await license(owner.token, lic.id)).seats_used, 2);
  });

  it('grants overdraft seats on top of seats_total and no more', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 2, overdraft_seats: 1 });
    for (let i = 0; i < 3; ++i) {
      granted(await acquire(owner.token, { license_id: lic.id, hardware_id: `od-${i}` }));
    }
    const res = await acquire(owner.token, { license_id: lic.id, hardware_id: 'od-3' });
    assertNoSeats(res, { used: 3, total: 2, overdraft: 1 });
  });

  it('heartbeats a live session and ends it on release', async () => {
    const lic = await createLicense(server, owner.tenant.id, {
      seats_total: 1,
      heartbeat_interval: 20,
      session_ttl: 45,
    });
    const lease = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'hb' }));
    const hb = await heartbeat(owner.token, lease.session_id);
    assert.equal(hb.status, 200, hb.text);
    assert.equal(hb.json.status, 'ok');
    assert.ok(hb.json.expires_in >= 44 && hb.json.expires_in <= 45, hb.text);
    const deadline = assertTime(hb.json.expires_at) / 1000;
    assert.ok(Math.abs(deadline - (Date.now() / 1000 + 45)) < 3, hb.text);

    const rel = await release(owner.token, lease.session_id);
    assert.equal(rel.status, 200, rel.text);
    assert.deepEqual(rel.json, { status: 'released' });
    assertError(await heartbeat(owner.token, lease.session_id), 404, 'session_not_found');
    assertError(await release(owner.token, lease.session_id), 404, 'session_not_found');
    assertError(await heartbeat(owner.token, UNKNOWN_ID), 404, 'session_not_found');
  });

  it('frees the seat on release for the next machine', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 1 });
    const first = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'r1' }));
    assertNoSeats(await acquire(owner.token, { license_id: lic.id, hardware_id: 'r2' }), {
      used: 1,
      total: 1,
    });
    assert.equal((await release(owner.token, first.session_id)).status, 200);
    assert.equal((await license(owner.token, lic.id)).seats_used, 0);
    const second = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'r2' }));
    assert.equal(second.seats_used, 1);
  });

  it('lets a waiting acquire take a seat as soon as another is released', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 1 });
    const holder = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'w1' }));
    const started = Date.now();
    const parked = await parkedAcquires(server);
    const waiter = acquire(owner.token, { license_id: lic.id, hardware_id: 'w2', wait_seconds: 20 });
    await untilParked(server, parked + 1);
    assert.ok(await isPending(waiter), 'the waiter waits while the seat is taken');
    const releasedAt = Date.now();
    assert.equal((await release(owner.token, holder.session_id)).status, 200);
    const lease = granted(await waiter, 'waiting acquire');
    const done = Date.now();
    assert.equal(lease.license_id, lic.id);
    assert.ok(done - releasedAt < 3000, `granted ${done - releasedAt} ms after the release`);
    assert.ok(done - started < 10_000);
  });

  it('serves waiting acquires first come, first served', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 1 });
    const holder = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'q0' }));
    const order = [];
    const waitFor = (hw) =>
      acquire(owner.token, { license_id: lic.id, hardware_id: hw, wait_seconds: 20 }).then((res) => {
        order.push(hw);
        return res;
      });
    // Each waiter has joined the queue (the server counts it as parked) before the next step.
    const parked = await parkedAcquires(server);
    const first = waitFor('q1');
    await untilParked(server, parked + 1);
    const second = waitFor('q2');
    await untilParked(server, parked + 2);
    assert.deepEqual(order, [], 'both wait while the seat is taken');
    assert.equal((await release(owner.token, holder.session_id)).status, 200);
    const one = granted(await first, 'first waiter');
    await untilParked(server, parked + 1);
    assert.ok(await isPending(second), 'the second waiter waits for the next free seat');
    assert.deepEqual(order, ['q1'], 'the later waiter still waits');
    assert.equal((await release(owner.token, one.session_id)).status, 200);
    granted(await second, 'second waiter');
    assert.deepEqual(order, ['q1', 'q2']);
  });

  it('answers no_seats_available when the wait ends without a free seat', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 1 });
    granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'x1' }));
    const started = Date.now();
    const res = await acquire(owner.token, { license_id: lic.id, hardware_id: 'x2', wait_seconds: 1 });
    const waited = Date.now() - started;
    assertNoSeats(res, { used: 1, total: 1 });
    assert.ok(waited >= 900 && waited < 5000, `waited ${waited} ms for wait_seconds 1`);
  });

  it('frees the seat of a session without heartbeats after session_ttl', async () => {
    const lic = await createLicense(server, owner.tenant.id, {
      seats_total: 1,
      session_ttl: 2,
      heartbeat_interval: 1,
    });
    const t0 = Date.now();
    const zombie = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'z1' }));
    const t1 = Date.now();
    assert.equal(zombie.session_ttl, 2);
    const freedAt = await until(
      'a new acquire succeeds after the zombie expired',
      async () => {
        const res = await acquire(owner.token, { license_id: lic.id, hardware_id: 'z2' });
        if (res.status === 200) return Date.now();
        assertNoSeats(res, { used: 1, total: 1 });
        return false;
      },
      { timeoutMs: 6000, intervalMs: 100 },
    );
    assert.ok(freedAt - t0 >= 2000, `freed ${freedAt - t0} ms after acquire: before session_ttl`);
    assert.ok(freedAt - t1 <= 3500, `freed ${freedAt - t1} ms after acquire: more than ttl + 1.5 s`);
    assertError(await heartbeat(owner.token, zombie.session_id), 404, 'session_not_found');
  });

  it('never lets another tenant see or touch a session or license', async () => {
    const lic = await createLicense(server, other.tenant.id, { seats_total: 2 });
    const theirs = granted(await acquire(other.token, { license_id: lic.id, hardware_id: 'iso' }));
    assertError(await heartbeat(owner.token, theirs.session_id), 404, 'session_not_found');
    assertError(await release(owner.token, theirs.session_id), 404, 'session_not_found');
    const del = await server.delete(`/api/v1/sessions/${theirs.session_id}`, { token: owner.token });
    assert.equal(del.status, 404, del.text);
    assertError(
      await acquire(owner.token, { license_id: lic.id, hardware_id: 'iso' }),
      404,
      'not_found',
    );
    assertError(
      await server.get(`/api/v1/licenses/${lic.id}/audit`, { token: owner.token }),
      404,
      'not_found',
    );
    const list = await server.get('/api/v1/sessions', { token: owner.token });
    assert.ok(!list.json.sessions.some((s) => s.id === theirs.session_id));
    // Still alive for its owner.
    assert.equal((await heartbeat(other.token, theirs.session_id)).status, 200);
    assert.equal((await license(other.token, lic.id)).seats_used, 1);
  });

  it('keeps live sessions after a seat reduction and refuses acquires until usage is under it', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 3 });
    const leases = [];
    for (let i = 0; i < 3; ++i) {
      leases.push(granted(await acquire(owner.token, { license_id: lic.id, hardware_id: `sr-${i}` })));
    }
    const patched = await patchLicense(server, lic.id, { seats_total: 1 });
    assert.equal(patched.seats_total, 1);
    assert.equal(patched.seats_used, 3);
    for (const l of leases) assert.equal((await heartbeat(owner.token, l.session_id)).status, 200);
    assertNoSeats(await acquire(owner.token, { license_id: lic.id, hardware_id: 'sr-new' }), {
      used: 3,
      total: 1,
    });
    assert.equal((await release(owner.token, leases[0].session_id)).status, 200);
    assert.equal((await release(owner.token, leases[1].session_id)).status, 200);
    assertNoSeats(await acquire(owner.token, { license_id: lic.id, hardware_id: 'sr-new' }), {
      used: 1,
      total: 1,
    });
    assert.equal((await release(owner.token, leases[2].session_id)).status, 200);
    granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'sr-new' }));
  });

  it('refuses acquires on suspended, cancelled and expired licenses', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 5 });
    const body = { license_id: lic.id, hardware_id: 'state' };
    await patchLicense(server, lic.id, { status: 'suspended' });
    assertError(await acquire(owner.token, body), 403, 'license_suspended');
    await patchLicense(server, lic.id, { status: 'cancelled' });
    assertError(await acquire(owner.token, body), 403, 'license_cancelled');
    await patchLicense(server, lic.id, { status: 'active', expires_at: '2020-01-01T00:00:00Z' });
    assertError(await acquire(owner.token, body), 403, 'license_expired');
    assert.equal((await license(owner.token, lic.id)).status, 'expired');
    await patchLicense(server, lic.id, { status: 'trial', expires_at: '2099-01-01T00:00:00Z' });
    granted(await acquire(owner.token, body), 'acquire on a trial license');
  });

  it('lists sessions by role and lets only managers force-release them', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 5 });
    const mine = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'adm-1' }));
    const theirs = granted(await acquire(member.token, { license_id: lic.id, hardware_id: 'adm-2' }));
    const memberView = await server.get('/api/v1/sessions', { token: member.token });
    assert.equal(memberView.status, 200, memberView.text);
    assert.ok(memberView.json.sessions.length >= 1);
    assert.ok(memberView.json.sessions.every((s) => s.user_id === member.user.id));
    const ownerView = await server.get('/api/v1/sessions', { token: owner.token });
    const ids = ownerView.json.sessions.map((s) => s.id);
    assert.ok(ids.includes(mine.session_id) && ids.includes(theirs.session_id));

    const forbidden = await server.delete(`/api/v1/sessions/${mine.session_id}`, {
      token: member.token,
    });
    assertError(forbidden, 403, 'forbidden');
    assert.equal((await heartbeat(owner.token, mine.session_id)).status, 200);

    const revoked = await server.delete(`/api/v1/sessions/${theirs.session_id}`, {
      token: owner.token,
    });
    assert.equal(revoked.status, 204, revoked.text);
    assertError(await heartbeat(member.token, theirs.session_id), 404, 'session_not_found');
    assert.equal((await license(owner.token, lic.id)).seats_used, 1);
    const audit = await server.get(`/api/v1/licenses/${lic.id}/audit?limit=1`, { token: owner.token });
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.json.events[0].action, 'revoke');
    assert.equal(audit.json.events[0].session_id, theirs.session_id);
    assert.notEqual(audit.json.next_before, null, 'older events follow');
  });

  it('logs acquire, deny, release and expire newest first, in pages', async () => {
    const lic = await createLicense(server, owner.tenant.id, {
      seats_total: 1,
      session_ttl: 2,
      heartbeat_interval: 1,
    });
    const a = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'au-1' }));
    assertError(await acquire(owner.token, { license_id: lic.id, hardware_id: 'au-2' }), 429, 'no_seats_available');
    assert.equal((await release(owner.token, a.session_id)).status, 200);
    const b = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'au-3' }));
    const audit = (query = '') =>
      server.get(`/api/v1/licenses/${lic.id}/audit${query}`, { token: owner.token });
    // b expires after 2 s without heartbeats; the expiry is logged.
    const all = await until(
      'the expiry is in the audit log',
      async () => {
        const res = await audit();
        assert.equal(res.status, 200, res.text);
        return res.json.events.some((e) => e.action === 'expire') && res.json;
      },
      { timeoutMs: 8000, intervalMs: 200 },
    );
    const actions = all.events.map((e) => e.action);
    // The license's creation is the oldest event.
    assert.deepEqual(actions, ['expire', 'acquire', 'release', 'deny', 'acquire', 'provision']);
    assert.equal(all.next_before, null);
    const ids = all.events.map((e) => BigInt(e.id));
    for (let i = 1; i < ids.length; ++i) assert.ok(ids[i - 1] > ids[i], 'newest first');
    const [expire, acquireB, rel, deny, acquireA, provision] = all.events;
    assert.equal(expire.session_id, b.session_id);
    assert.equal(acquireB.session_id, b.session_id);
    assert.equal(acquireB.hardware_id, 'au-3');
    assert.equal(rel.session_id, a.session_id);
    assert.equal(deny.hardware_id, 'au-2');
    assert.equal(acquireA.user_id, owner.user.id);
    assert.equal(acquireA.session_id, a.session_id);
    assert.ok(!provision.session_id, 'a license event has no session');
    for (const e of all.events) {
      assertTime(e.at);
      assert.equal(typeof e.detail, 'object');
      assert.ok(e.detail !== null && !Array.isArray(e.detail));
    }
    for (let i = 1; i < all.events.length; ++i) {
      assert.ok(Date.parse(all.events[i - 1].at) >= Date.parse(all.events[i].at));
    }

    const page1 = await audit('?limit=2');
    assert.equal(page1.status, 200, page1.text);
    assert.deepEqual(page1.json.events.map((e) => e.id), all.events.slice(0, 2).map((e) => e.id));
    assert.equal(String(page1.json.next_before), String(all.events[1].id));
    const page2 = await audit(`?limit=2&before=${page1.json.next_before}`);
    assert.deepEqual(page2.json.events.map((e) => e.id), all.events.slice(2, 4).map((e) => e.id));
    const page3 = await audit(`?limit=2&before=${page2.json.next_before}`);
    assert.deepEqual(page3.json.events.map((e) => e.id), all.events.slice(4, 6).map((e) => e.id));
    // Exactly two events were left: the page is full, yet it is the last one.
    assert.equal(page3.json.next_before, null);
    const tail = await audit(`?limit=5&before=${all.events[3].id}`);
    assert.deepEqual(tail.json.events.map((e) => e.id), all.events.slice(4).map((e) => e.id));
    assert.equal(tail.json.next_before, null);

    assertError(
      await server.get(`/api/v1/licenses/${lic.id}/audit`, { token: member.token }),
      403,
      'forbidden',
    );
  });
});
