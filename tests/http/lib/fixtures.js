// Accounts, licenses and token checks that many test files need.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user') {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.com`;
}

export function uniqueSlug(prefix = 'org') {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/// Registers a new user (owner of a new tenant); returns { token, user, tenant, email }.
export async function register(server, overrides = {}) {
  const email = overrides.email ?? uniqueEmail();
  const body = {
    email,
    password: PASSWORD,
    name: 'Test User',
    organization: `Org ${randomBytes(3).toString('hex')}`,
    ...overrides,
  };
  const res = await server.post('/api/v1/auth/register', body);
  assert.equal(res.status, 201, `register ${email}: ${res.text}`);
  return { token: res.json.access_token, user: res.json.user, tenant: res.json.tenant, email };
}

/// Logs `email` in; returns the access token.
export async function login(server, email, password = PASSWORD) {
  const res = await server.post('/api/v1/auth/login', { email, password });
  assert.equal(res.status, 200, `login ${email}: ${res.text}`);
  return res.json.access_token;
}

/// Adds a user with `role` to the tenant of `ownerToken` and logs them in.
export async function addUser(server, ownerToken, role) {
  const email = uniqueEmail(role);
  const res = await server.post(
    '/api/v1/tenants/me/users',
    { email, name: `A ${role}`, password: PASSWORD, role },
    { token: ownerToken },
  );
  assert.equal(res.status, 201, `add ${role}: ${res.text}`);
  return { user: res.json, email, token: await login(server, email) };
}

/// Creates a license for `tenantId` as the operator; returns the license object.
export async function createLicense(server, tenantId, body = {}) {
  const res = await server.post(
    `/api/v1/admin/tenants/${tenantId}/licenses`,
    { product: `p${randomBytes(4).toString('hex')}`, tier: 'pro', seats_total: 1, ...body },
    { operator: true },
  );
  assert.equal(res.status, 201, `create license: ${res.text}`);
  return res.json;
}

/// Changes a license as the operator; returns the license object.
export async function patchLicense(server, licenseId, body) {
  const res = await server.patch(`/api/v1/admin/licenses/${licenseId}`, body, { operator: true });
  assert.equal(res.status, 200, `patch license: ${res.text}`);
  return res.json;
}

/// The licenses the user of `token` sees.
export async function listLicenses(server, token) {
  const res = await server.get('/api/v1/licenses', { token });
  assert.equal(res.status, 200, `list licenses: ${res.text}`);
  return res.json.licenses;
}

/// One license as the user of `token` sees it.
export async function viewLicense(server, token, licenseId) {
  const res = await server.get(`/api/v1/licenses/${licenseId}`, { token });
  assert.equal(res.status, 200, `view license ${licenseId}: ${res.text}`);
  return res.json;
}

/// The server's JWKS as a jose key set.
export async function keySet(server) {
  const res = await server.get('/.well-known/jwks.json');
  assert.equal(res.status, 200, res.text);
  return createLocalJWKSet(res.json);
}

/// Verifies `token` against the server's JWKS (EdDSA only); returns { payload, protectedHeader }.
export async function verifyToken(server, token, options = {}) {
  return jwtVerify(token, await keySet(server), { algorithms: ['EdDSA'], ...options });
}

/// Asserts the API's error shape: `code`, a message, request_id equal to X-Request-ID.
export function assertError(res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.ok(res.json, `error body is JSON: ${res.text}`);
  assert.equal(res.json.error, code, res.text);
  assert.equal(typeof res.json.message, 'string');
  assert.ok(res.json.message.length > 0, 'error message is not empty');
  const rid = res.headers.get('x-request-id');
  assert.ok(rid, 'X-Request-ID header present');
  assert.equal(res.json.request_id, rid, 'request_id equals X-Request-ID');
}

/// Asserts a Retry-After header of whole seconds, at least 1; returns the seconds.
export function assertRetryAfter(res) {
  const header = res.headers.get('retry-after');
  const seconds = Number(header);
  assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After: ${header}`);
  return seconds;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/// Asserts `text` is an RFC 3339 UTC time and returns it in milliseconds.
export function assertTime(text, what = 'time') {
  assert.match(String(text), RFC3339, `${what} is RFC 3339 UTC: ${text}`);
  return Date.parse(text);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/// A well-formed id that names nothing on the server.
export const UNKNOWN_ID = '6f1c7a3e-0b1d-4c2e-9f3a-123456789abc';

export const LICENSE_KEY = /^LH-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/;
