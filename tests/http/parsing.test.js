// Strict request parsing, the error shape, request ids, unknown routes and wrong methods.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { assertError, listLicenses, register } from './lib/fixtures.js';
import { requiresPostgres, useServer } from './lib/suite.js';

describe('strict parsing and routing', requiresPostgres, () => {
  const server = useServer();
  let token;
  let licenseId;

  before(async () => {
    ({ token } = await register(server));
    licenseId = (await listLicenses(server, token))[0].id;
  });

  const acquire = (body) => server.post('/api/v1/licenses/acquire', body, { token });

  it('refuses camelCase spellings of field names', async () => {
    assertError(await acquire({ hardwareId: 'm1' }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', waitSeconds: 0 }), 400, 'bad_request');
    assertError(
      await server.post('/api/v1/auth/login', { email: 'a@example.com', passWord: 'x'.repeat(12) }),
      400,
      'bad_request',
    );
  });

  it('refuses unknown fields', async () => {
    assertError(await acquire({ hardware_id: 'm1', color: 'red' }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', seats: 2 }), 400, 'bad_request');
  });

  it('refuses numbers sent as strings and values of the wrong type', async () => {
    assertError(await acquire({ hardware_id: 'm1', wait_seconds: '5' }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 5 }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: ['m1'] }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', wait_seconds: true }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', wait_seconds: 1.5 }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', wait_seconds: -1 }), 400, 'bad_request');
    assertError(await acquire([{ hardware_id: 'm1' }]), 400, 'bad_request');
  });

  it('refuses missing or empty required fields and out-of-range values', async () => {
    assertError(await acquire({}), 400, 'bad_request');
    assertError(await acquire({ hardware_id: '' }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'm1', wait_seconds: 61 }), 400, 'bad_request');
    assertError(await acquire({ hardware_id: 'h'.repeat(257) }), 400, 'bad_request');
    const hb = await server.post('/api/v1/licenses/heartbeat', {}, { token });
    assertError(hb, 400, 'bad_request');
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'limit=-5', 'before=x', 'before=0']) {
      const res = await server.get(`/api/v1/licenses/${licenseId}/audit?${q}`, { token });
      assertError(res, 400, 'bad_request');
    }
  });

  it('answers session_not_found for a session id that is not a UUID', async () => {
    for (const path of ['/api/v1/licenses/heartbeat', '/api/v1/licenses/release']) {
      const res = await server.post(path, { session_id: 'not-a-uuid' }, { token });
      assertError(res, 404, 'session_not_found');
    }
  });

  it('refuses malformed JSON', async () => {
    assertError(await acquire('{"hardware_id": '), 400, 'bad_request');
    assertError(await acquire('{"hardware_id": "m1"} trailing'), 400, 'bad_request');
    assertError(await acquire("{'hardware_id': 'm1'}"), 400, 'bad_request');
    assertError(await acquire(''), 400, 'bad_request');
  });

  it('refuses a body over 64 KiB', async () => {
    const res = await acquire({ hardware_id: 'm1', hostname: 'x'.repeat(70 * 1024) });
    assert.ok([400, 413].includes(res.status), `status ${res.status}`);
    assertError(res, res.status, res.status === 413 ? 'payload_too_large' : 'bad_request');
  });

  it('echoes X-Request-ID and puts it into error bodies', async () => {
    const id = 'test-request-0123456789';
    const res = await server.post(
      '/api/v1/licenses/acquire',
      { hardware_id: 'm1', bogus: 1 },
      { token, headers: { 'x-request-id': id } },
    );
    assert.equal(res.headers.get('x-request-id'), id);
    assertError(res, 400, 'bad_request');
    assert.equal(res.json.request_id, id);
    const health = await server.get('/health', { headers: { 'x-request-id': id } });
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-request-id'), id);
  });

  it('generates a distinct X-Request-ID when the client sends none', async () => {
    const a = await server.get('/health');
    const b = await server.get('/health');
    assert.deepEqual(a.json, { status: 'ok' });
    const ida = a.headers.get('x-request-id');
    const idb = b.headers.get('x-request-id');
    assert.ok(ida && idb, 'both carry an id');
    assert.notEqual(ida, idb);
  });

  it('answers 404 for unknown routes before checking authentication', async () => {
    for (const path of ['/api/v1/nope', '/api/v1/licenses/a/b/c', '/api/v2/licenses', '/']) {
      assertError(await server.get(path), 404, 'not_found');
    }
    assertError(await server.post('/api/v1/licenses/nope/extra', {}), 404, 'not_found');
  });

  it('answers 405 with Allow for a known path and another method, before authentication', async () => {
    const res = await server.delete('/api/v1/licenses/acquire');
    assertError(res, 405, 'method_not_allowed');
    assert.match(res.headers.get('allow') ?? '', /\bPOST\b/);
    const login = await server.get('/api/v1/auth/login');
    assertError(login, 405, 'method_not_allowed');
    assert.match(login.headers.get('allow') ?? '', /\bPOST\b/);
    const sessions = await server.request('PUT', '/api/v1/sessions');
    assertError(sessions, 405, 'method_not_allowed');
    assert.match(sessions.headers.get('allow') ?? '', /\bGET\b/);
  });

  it('answers 401 for a known route without a bearer token', async () => {
    const res = await server.post('/api/v1/licenses/acquire', { hardware_id: 'm1' });
    assertError(res, 401, 'unauthorized');
  });
});
