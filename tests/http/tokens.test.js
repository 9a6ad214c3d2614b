// Access and lease tokens: EdDSA JWTs that verify against the JWKS, and everything that must
// not pass as a bearer token.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';

import { assertError, register, verifyToken } from './lib/fixtures.js';
import { granted, seatApi } from './lib/seats.js';
import { requiresPostgres, useServer } from './lib/suite.js';
import { until } from './lib/waiting.js';

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

describe('tokens', requiresPostgres, () => {
  const server = useServer();
  let account;

  before(async () => {
    account = await register(server);
  });

  it('publishes Ed25519 keys in the JWKS', async () => {
    const res = await server.get('/.well-known/jwks.json');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.keys.length >= 1);
    for (const key of res.json.keys) {
      assert.equal(key.kty, 'OKP');
      assert.equal(key.crv, 'Ed25519');
      assert.equal(key.alg, 'EdDSA');
      assert.equal(key.use, 'sig');
      assert.equal(typeof key.kid, 'string');
      assert.equal(Buffer.from(key.x, 'base64url').length, 32, 'x is a raw 32-byte key');
      assert.equal(key.d, undefined, 'no private part');
    }
  });

  it('issues access tokens that verify with the JWKS and carry the API claims', async () => {
    const { payload, protectedHeader } = await verifyToken(server, account.token);
    assert.equal(protectedHeader.alg, 'EdDSA');
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(payload.sub, account.user.id);
    assert.equal(payload.tid, account.tenant.id);
    assert.equal(payload.role, 'owner');
    assert.equal(typeof payload.iss, 'string');
    assert.ok(payload.iss.length > 0);
    assert.equal(typeof payload.jti, 'string');
    assert.ok(payload.jti.length >= 16);
    assert.equal(payload.exp - payload.iat, 86400, 'default lifetime is 24 h');
    assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 120);
  });

  it('refuses a token whose payload was changed', async () => {
    const [h, p, s] = account.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    const forged = `${h}.${b64({ ...claims, role: 'owner', tid: '00000000-0000-4000-8000-000000000000' })}.${s}`;
    assertError(await server.get('/api/v1/auth/me', { token: forged }), 401, 'unauthorized');
    const later = `${h}.${b64({ ...claims, exp: claims.exp + 3600 })}.${s}`;
    assertError(await server.get('/api/v1/auth/me', { token: later }), 401, 'unauthorized');
  });

  it('refuses a token whose signature was changed', async () => {
    const [h, p, s] = account.token.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[5] ^= 0x01;
    const forged = `${h}.${p}.${sig.toString('base64url')}`;
    assertError(await server.get('/api/v1/auth/me', { token: forged }), 401, 'unauthorized');
    const stripped = `${h}.${p}.`;
    assertError(await server.get('/api/v1/auth/me', { token: stripped }), 401, 'unauthorized');
  });

  it('refuses unsigned (alg none) and garbage tokens', async () => {
    const claims = decodeJwt(account.token);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    assertError(await server.get('/api/v1/auth/me', { token: none }), 401, 'unauthorized');
    for (const token of ['garbage', 'a.b.c', '...', `${none}extra`]) {
      assertError(await server.get('/api/v1/auth/me', { token }), 401, 'unauthorized');
    }
    const res = await server.get('/api/v1/auth/me', { headers: { authorization: 'Basic abc' } });
    assertError(res, 401, 'unauthorized');
  });

  it('refuses a token signed by another key under the server key id', async () => {
    const { kid } = decodeProtectedHeader(account.token);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const claims = decodeJwt(account.token);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
      .sign(privateKey);
    assertError(await server.get('/api/v1/auth/me', { token: forged }), 401, 'unauthorized');
  });

  it('refuses a lease token as a bearer token', async () => {
    const { acquire } = seatApi(server);
    const lease = granted(await acquire(account.token, { hardware_id: 'token-test-machine' }));
    // It is a genuine token of this server, just not an access token.
    const { payload } = await verifyToken(server, lease.lease_token);
    assert.equal(payload.sid, lease.session_id);
    assertError(await server.get('/api/v1/auth/me', { token: lease.lease_token }), 401, 'unauthorized');
    assertError(await server.get('/api/v1/sessions', { token: lease.lease_token }), 401, 'unauthorized');
  });
});

describe('token expiry', requiresPostgres, () => {
  const server = useServer({ args: ['--access-token-ttl', '1'] });

  it('refuses an access token once its exp has passed, and not long after', async () => {
    const { token } = await register(server);
    const { payload } = await verifyToken(server, token, {
      currentDate: new Date(decodeJwt(token).iat * 1000),
    });
    assert.equal(payload.exp - payload.iat, 1, '--access-token-ttl 1 gives a 1 s token');
    const refusedAt = await until(
      'the expired token is refused',
      async () => {
        const res = await server.get('/api/v1/auth/me', { token });
        if (res.status === 200) return false;
        assertError(res, 401, 'unauthorized');
        return Date.now() / 1000;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    // Refused because of exp (whole seconds), not for another reason: never before exp - 1.
    assert.ok(refusedAt >= payload.exp - 1, `refused at ${refusedAt}, exp ${payload.exp}`);
    assert.ok(refusedAt <= payload.exp + 2.5, `refused at ${refusedAt}, exp ${payload.exp}`);
  });
});
