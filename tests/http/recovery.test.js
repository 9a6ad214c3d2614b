// A crashed server (kill -9) restarted on the same database keeps its live sessions and its
// exact seat count.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertError, createLicense, register, verifyToken, viewLicense } from './lib/fixtures.js';
import { assertNoSeats, granted, seatApi } from './lib/seats.js';
import { requiresPostgres, useServer } from './lib/suite.js';
import { runningTenants, until } from './lib/waiting.js';

describe('restart recovery', requiresPostgres, () => {
  const server = useServer();
  const { acquire, heartbeat, release } = seatApi(server);

  it('keeps live sessions and seat counts across kill -9 and restart', async () => {
    const owner = await register(server);
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 3 });
    const acquireOn = (hw) => acquire(owner.token, { license_id: lic.id, hardware_id: hw });
    const leases = [];
    for (const hw of ['crash-1', 'crash-2']) leases.push(granted(await acquireOn(hw)));
    const released = granted(await acquireOn('crash-released'));
    const rel = await release(owner.token, released.session_id);
    assert.equal(rel.status, 200, rel.text);

    const exit = await server.kill9();
    assert.equal(exit.signal, 'SIGKILL');
    await server.start();

    // Access and lease tokens of before the crash still verify: the keys are kept.
    await verifyToken(server, owner.token);
    await verifyToken(server, leases[0].lease_token);
    for (const lease of leases) {
      const hb = await heartbeat(owner.token, lease.session_id);
      assert.equal(hb.status, 200, hb.text);
      assert.equal(hb.json.status, 'ok');
    }
    assertError(await heartbeat(owner.token, released.session_id), 404, 'session_not_found');
    const view = await viewLicense(server, owner.token, lic.id);
    assert.equal(view.seats_used, 2, 'seats_used unchanged by the crash');

    // Re-acquire on a recovered machine keeps its session and takes no seat.
    const again = granted(await acquireOn('crash-1'));
    assert.equal(again.session_id, leases[0].session_id);
    assert.equal(again.seats_used, 2);

    // One seat is left, and only one.
    const results = await Promise.all(['after-1', 'after-2', 'after-3', 'after-4'].map(acquireOn));
    assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.status).join());
    for (const res of results.filter((r) => r.status !== 200)) {
      assertNoSeats(res, { used: 3, total: 3 });
    }
    const sessions = await server.get('/api/v1/sessions', { token: owner.token });
    assert.equal(sessions.json.sessions.filter((s) => s.license_id === lic.id).length, 3);
  });
});

describe('graceful stop', requiresPostgres, () => {
  const server = useServer();
  const { acquire, heartbeat } = seatApi(server);

  it('ends on SIGTERM with exit code 0 and keeps its live sessions', async () => {
    const owner = await register(server);
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 2 });
    const lease = granted(await acquire(owner.token, { license_id: lic.id, hardware_id: 'term-1' }));
    assert.equal((await heartbeat(owner.token, lease.session_id)).status, 200);

    // stop() sends SIGKILL if the process lingers 10 s after SIGTERM: a clean exit code says
    // every actor ended and the record store wrote what waited.
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    await server.start();

    const hb = await heartbeat(owner.token, lease.session_id);
    assert.equal(hb.status, 200, hb.text);
    assert.equal((await viewLicense(server, owner.token, lic.id)).seats_used, 1);
  });
});

describe('idle tenants', requiresPostgres, () => {
  const server = useServer({ args: ['--tenant-idle-timeout', '1'] });
  const { acquire, heartbeat, release } = seatApi(server);

  it('stops an idle tenant and starts it again from the record on its next request', async () => {
    const owner = await register(server);
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 2 });
    const acquireOn = (hw) => acquire(owner.token, { license_id: lic.id, hardware_id: hw });
    const gone = granted(await acquireOn('idle-gone'));
    assert.equal((await release(owner.token, gone.session_id)).status, 200);
    assert.equal(await runningTenants(server), 1);

    // Nothing in hand: within two idle periods its actor stops.
    await until('the tenant passivated', async () => (await runningTenants(server)) === 0);
    // The edge still knows the stopped actor: the next requests reach a new one.
    const lease = granted(await acquireOn('idle-after'));
    assert.equal(lease.seats_used, 1, 'seats from the record');
    assert.equal(await runningTenants(server), 1);
    assert.equal((await heartbeat(owner.token, lease.session_id)).status, 200);
    assert.equal((await viewLicense(server, owner.token, lic.id)).seats_used, 1);
  });
});
