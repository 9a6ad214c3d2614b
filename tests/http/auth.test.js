// Registration, login, refresh, logout, /me and the login/registration rate limits.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  LICENSE_KEY,
  PASSWORD,
  UUID,
  assertError,
  assertRetryAfter,
  assertTime,
  listLicenses,
  login,
  register,
  uniqueEmail,
} from './lib/fixtures.js';
import { requiresPostgres, useServer } from './lib/suite.js';

describe('auth', requiresPostgres, () => {
  const server = useServer();

  it('registers a user as owner of a new tenant with a free one-seat license', async () => {
    const email = uniqueEmail('New.User').replace('example.com', 'Example.COM');
    const res = await server.post('/api/v1/auth/register', {
      email,
      password: PASSWORD,
      name: 'New User',
      organization: 'New Org',
    });
    assert.equal(res.status, 201, res.text);
    const { user, tenant, access_token, expires_at } = res.json;
    assert.match(user.id, UUID);
    assert.equal(user.email, email.toLowerCase(), 'email is normalized to lower case');
    assert.equal(user.name, 'New User');
    assert.equal(user.role, 'owner');
    assert.equal(user.tenant_id, tenant.id);
    assert.match(tenant.id, UUID);
    assert.equal(tenant.name, 'New Org');
    assert.equal(typeof tenant.slug, 'string');
    assert.ok(tenant.slug.length > 0);
    assert.equal(tenant.status, 'active');
    assert.equal(access_token.split('.').length, 3, 'a compact JWS');
    const exp = assertTime(expires_at, 'expires_at');
    const day = 24 * 3600 * 1000;
    assert.ok(Math.abs(exp - (Date.now() + day)) < 120_000, `expires in ~24 h: ${expires_at}`);
    assert.ok(res.headers.get('content-type').startsWith('application/json'));

    const licenses = await listLicenses(server, access_token);
    assert.equal(licenses.length, 1);
    const [lic] = licenses;
    assert.equal(lic.tier, 'free');
    assert.equal(lic.product, 'default');
    assert.equal(lic.seats_total, 1);
    assert.equal(lic.tenant_id, tenant.id);
    assert.match(lic.key, LICENSE_KEY);
  });

  it('refuses a second registration of the same email, in any letter case', async () => {
    const { email } = await register(server);
    const again = await server.post('/api/v1/auth/register', {
      email: email.toUpperCase(),
      password: PASSWORD,
      name: 'Again',
      organization: 'Again Org',
    });
    assertError(again, 409, 'conflict');
  });

  it('refuses malformed emails and short passwords', async () => {
    const bad = [
      'plainaddress',
      'no-domain@',
      '@no-local.com',
      'a@nodot',
      'two..dots@example.com',
      '.leading@example.com',
      'trailing.@example.com',
      'sp ace@example.com',
      'a@b@example.com',
      `${'x'.repeat(250)}@example.com`,
    ];
    for (const email of bad) {
      const res = await server.post('/api/v1/auth/register', {
        email,
        password: PASSWORD,
        name: 'Bad',
        organization: 'Bad Org',
      });
      assertError(res, 400, 'bad_request');
    }
    const short = await server.post('/api/v1/auth/register', {
      email: uniqueEmail(),
      password: '123456789',
      name: 'Short',
      organization: 'Short Org',
    });
    assertError(short, 400, 'bad_request');
    const missing = await server.post('/api/v1/auth/register', {
      email: uniqueEmail(),
      password: PASSWORD,
      organization: 'No Name Org',
    });
    assertError(missing, 400, 'bad_request');
  });

  it('logs in with the right password and refuses wrong email or password alike', async () => {
    const { email, user } = await register(server);
    const ok = await server.post('/api/v1/auth/login', { email, password: PASSWORD });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.user.id, user.id);
    assert.equal(ok.json.user.email, email);
    assertTime(ok.json.expires_at);
    assert.equal(ok.json.access_token.split('.').length, 3);

    const wrongPassword = await server.post('/api/v1/auth/login', {
      email,
      password: 'not the password',
    });
    assertError(wrongPassword, 401, 'unauthorized');
    const wrongEmail = await server.post('/api/v1/auth/login', {
      email: uniqueEmail('nobody'),
      password: PASSWORD,
    });
    assertError(wrongEmail, 401, 'unauthorized');
    assert.equal(wrongPassword.json.message, wrongEmail.json.message, 'same message for both');
  });

  it('answers /me with the user and tenant of the token', async () => {
    const { token, user, tenant } = await register(server);
    const me = await server.get('/api/v1/auth/me', { token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json.user, user);
    assert.deepEqual(me.json.tenant, tenant);
    const noToken = await server.get('/api/v1/auth/me');
    assertError(noToken, 401, 'unauthorized');
  });

  it('refreshes a token into a new working token', async () => {
    const { token, user } = await register(server);
    const res = await server.post('/api/v1/auth/refresh', undefined, { token });
    assert.equal(res.status, 200, res.text);
    assert.notEqual(res.json.access_token, token);
    assertTime(res.json.expires_at);
    const me = await server.get('/api/v1/auth/me', { token: res.json.access_token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.id, user.id);
  });

  it('revokes a token on logout but keeps other tokens of the user working', async () => {
    const { token, email } = await register(server);
    const other = await login(server, email);
    const out = await server.post('/api/v1/auth/logout', undefined, { token });
    assert.equal(out.status, 204, out.text);
    assertError(await server.get('/api/v1/auth/me', { token }), 401, 'unauthorized');
    assertError(
      await server.post('/api/v1/auth/refresh', undefined, { token }),
      401,
      'unauthorized',
    );
    const still = await server.get('/api/v1/auth/me', { token: other });
    assert.equal(still.status, 200, still.text);
  });
});

describe('auth rate limits', requiresPostgres, () => {
  const server = useServer({
    args: ['--rate-limit-failed-logins', '3', '--rate-limit-register-per-ip-per-min', '4'],
  });

  it('blocks an email after too many failed logins, and only that email', async () => {
    const { email } = await register(server);
    const { email: bystander } = await register(server);
    for (let i = 0; i < 3; ++i) {
      const res = await server.post('/api/v1/auth/login', { email, password: 'wrong password!' });
      assertError(res, 401, 'unauthorized');
    }
    const blocked = await server.post('/api/v1/auth/login', { email, password: 'wrong again!' });
    assertError(blocked, 429, 'rate_limited');
    assertRetryAfter(blocked);
    const evenRight = await server.post('/api/v1/auth/login', { email, password: PASSWORD });
    assertError(evenRight, 429, 'rate_limited');
    const other = await server.post('/api/v1/auth/login', { email: bystander, password: PASSWORD });
    assert.equal(other.status, 200, other.text);
  });

  it('limits registrations per client address', async () => {
    // Two registrations happened in the test above; the limit is 4 per minute.
    const statuses = [];
    let limited;
    for (let i = 0; i < 4; ++i) {
      const res = await server.post('/api/v1/auth/register', {
        email: uniqueEmail('burst'),
        password: PASSWORD,
        name: 'Burst',
        organization: 'Burst Org',
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, `one of the registrations is limited: ${statuses}`);
    assertError(limited, 429, 'rate_limited');
    assertRetryAfter(limited);
    assert.ok(statuses.indexOf(429) >= 1, `the first burst registration passes: ${statuses}`);
    assert.ok(statuses.slice(statuses.indexOf(429)).every((s) => s === 429), `${statuses}`);
  });
});
