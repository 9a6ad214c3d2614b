// A crashed server (kill -9) restarted on the same database keeps its live sessions and its
// exact seat count.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertError, createLicense, register, verifyToken } from './lib/fixtures.js';
import { requiresPostgres, useServer } from './lib/suite.js';

describe('restart recovery', requiresPostgres, () => {
  const server = useServer();

  it('keeps live sessions and seat counts across kill -9 and restart', async () => {
    const owner = await register(server);
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 3 });
    const acquire = (hw) =>
      server.post('/api/v1/licenses/acquire', { license_id: lic.id, hardware_id: hw }, { token: owner.token });
    const leases = [];
    for (const hw of ['crash-1', 'crash-2']) {
      const res = await acquire(hw);
      assert.equal(res.status, 200, res.text);
      leases.push(res.json);
    }
    const released = await acquire('crash-released');
    assert.equal(released.status, 200, released.text);
    const rel = await server.post(
      '/api/v1/licenses/release',
      { session_id: released.json.session_id },
      { token: owner.token },
    );
    assert.equal(rel.status, 200, rel.text);

    const exit = await server.kill9();
    assert.equal(exit.signal, 'SIGKILL');
    await server.start();

    // Access and lease tokens of before the crash still verify: the keys are kept.
    await verifyToken(server, owner.token);
    await verifyToken(server, leases[0].lease_token);
    for (const lease of leases) {
      const hb = await server.post(
        '/api/v1/licenses/heartbeat',
        { session_id: lease.session_id },
        { token: owner.token },
      );
      assert.equal(hb.status, 200, hb.text);
      assert.equal(hb.json.status, 'ok');
    }
    const gone = await server.post(
      '/api/v1/licenses/heartbeat',
      { session_id: released.json.session_id },
      { token: owner.token },
    );
    assertError(gone, 404, 'session_not_found');
    const view = await server.get(`/api/v1/licenses/${lic.id}`, { token: owner.token });
    assert.equal(view.status, 200, view.text);
    assert.equal(view.json.seats_used, 2, 'seats_used unchanged by the crash');

    // Re-acquire on a recovered machine keeps its session and takes no seat.
    const again = await acquire('crash-1');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.session_id, leases[0].session_id);
    assert.equal(again.json.seats_used, 2);

    // One seat is left, and only one.
    const results = await Promise.all(['after-1', 'after-2', 'after-3', 'after-4'].map(acquire));
    assert.equal(results.filter((r) => r.status === 200).length, 1, results.map((r) => r.status).join());
    for (const res of results.filter((r) => r.status !== 200)) {
      assertError(res, 429, 'no_seats_available');
      assert.equal(res.json.seats_used, 3);
    }
    const sessions = await server.get('/api/v1/sessions', { token: owner.token });
    assert.equal(sessions.json.sessions.filter((s) => s.license_id === lic.id).length, 3);
  });
});
