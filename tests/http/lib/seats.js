// The seat calls (acquire, heartbeat, release) and the checks of their answers.

import assert from 'node:assert/strict';

import { assertError, assertRetryAfter } from './fixtures.js';

/// The seat calls on `server`, each made as the user of `token`; they return the raw answer.
export function seatApi(server) {
  const call = (kind, body, token) => server.post(`/api/v1/licenses/${kind}`, body, { token });
  return {
    acquire: (token, body) => call('acquire', body, token),
    heartbeat: (token, sessionId) => call('heartbeat', { session_id: sessionId }, token),
    release: (token, sessionId) => call('release', { session_id: sessionId }, token),
  };
}

/// Asserts `res` granted a seat (200); returns the lease.
export function granted(res, what = 'acquire') {
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  return res.json;
}

/// Asserts `res` is a 429 no_seats_available with these seat figures and a retry hint.
export function assertNoSeats(res, { used, total, overdraft = 0 }) {
  assertError(res, 429, 'no_seats_available');
  assert.equal(res.json.seats_used, used, `seats_used: ${res.text}`);
  assert.equal(res.json.seats_total, total, `seats_total: ${res.text}`);
  assert.equal(res.json.overdraft_seats, overdraft, `overdraft_seats: ${res.text}`);
  assert.ok(Number.isInteger(res.json.retry_after) && res.json.retry_after >= 0, res.text);
  assertRetryAfter(res);
}
