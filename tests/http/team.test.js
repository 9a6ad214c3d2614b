// Operators, tenants, team roles and license administration.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  LICENSE_KEY,
  PASSWORD,
  UNKNOWN_ID,
  UUID,
  addUser,
  assertError,
  assertTime,
  createLicense,
  listLicenses,
  patchLicense,
  register,
  uniqueEmail,
  uniqueSlug,
  viewLicense,
} from './lib/fixtures.js';
import { OPERATOR_KEY } from './lib/server.js';
import { requiresPostgres, useServer } from './lib/suite.js';

describe('team, roles and operators', requiresPostgres, () => {
  const server = useServer();
  let owner;

  before(async () => {
    owner = await register(server);
  });

  it('lets the operator create tenants and licenses', async () => {
    const slug = uniqueSlug();
    const tenant = await server.post('/api/v1/admin/tenants', { name: 'Acme', slug }, { operator: true });
    assert.equal(tenant.status, 201, tenant.text);
    assert.match(tenant.json.id, UUID);
    assert.equal(tenant.json.name, 'Acme');
    assert.equal(tenant.json.slug, slug);
    assert.equal(tenant.json.status, 'active');
    const dup = await server.post('/api/v1/admin/tenants', { name: 'Acme 2', slug }, { operator: true });
    assertError(dup, 409, 'conflict');

    const lic = await createLicense(server, tenant.json.id, {
      product: 'studio',
      tier: 'enterprise',
      seats_total: 25,
      overdraft_seats: 2,
      features: { sso: true },
      heartbeat_interval: 60,
      session_ttl: 180,
      offline_grace: 3600,
      max_devices: 4,
      expires_at: '2099-01-01T00:00:00Z',
    });
    assert.match(lic.id, UUID);
    assert.equal(lic.tenant_id, tenant.json.id);
    assert.match(lic.key, LICENSE_KEY);
    assert.equal(lic.product, 'studio');
    assert.equal(lic.tier, 'enterprise');
    assert.equal(lic.status, 'active');
    assert.equal(lic.seats_total, 25);
    assert.equal(lic.seats_used, 0);
    assert.equal(lic.overdraft_seats, 2);
    assert.deepEqual(lic.features, { sso: true });
    assert.equal(lic.heartbeat_interval, 60);
    assert.equal(lic.session_ttl, 180);
    assert.equal(lic.offline_grace, 3600);
    assert.equal(lic.max_devices, 4);
    assert.equal(Date.parse(lic.expires_at), Date.parse('2099-01-01T00:00:00Z'));
    assertTime(lic.created_at);

    const bad = await server.post(
      `/api/v1/admin/tenants/${tenant.json.id}/licenses`,
      { product: 'x', tier: 'pro', seats_total: 1, session_ttl: 5, heartbeat_interval: 5 },
      { operator: true },
    );
    assertError(bad, 400, 'bad_request');
    const badTier = await server.post(
      `/api/v1/admin/tenants/${tenant.json.id}/licenses`,
      { product: 'x', tier: 'PRO', seats_total: 1 },
      { operator: true },
    );
    assertError(badTier, 400, 'bad_request');
    const noTenant = await server.post(
      `/api/v1/admin/tenants/${UNKNOWN_ID}/licenses`,
      { product: 'x', tier: 'pro', seats_total: 1 },
      { operator: true },
    );
    assertError(noTenant, 404, 'not_found');
  });

  it('refuses operator routes without the right operator key', async () => {
    const body = { name: 'Nope', slug: uniqueSlug() };
    assertError(await server.post('/api/v1/admin/tenants', body), 401, 'unauthorized');
    assertError(
      await server.post('/api/v1/admin/tenants', body, { headers: { 'x-operator-key': 'wrong' } }),
      401,
      'unauthorized',
    );
    assertError(
      await server.post('/api/v1/admin/tenants', body, { token: owner.token }),
      401,
      'unauthorized',
    );
    assertError(await server.get('/api/v1/admin/actors'), 401, 'unauthorized');
    const ok = await server.get('/api/v1/admin/actors', { headers: { 'x-operator-key': OPERATOR_KEY } });
    assert.equal(ok.status, 200, ok.text);
  });

  it('patches a license and shows the change to the tenant', async () => {
    const lic = await createLicense(server, owner.tenant.id, { seats_total: 2 });
    const patched = await patchLicense(server, lic.id, {
      seats_total: 7,
      features: { export: true },
      session_ttl: 120,
      heartbeat_interval: 30,
    });
    assert.equal(patched.seats_total, 7);
    assert.deepEqual(patched.features, { export: true });
    assert.equal(patched.session_ttl, 120);
    assert.equal(patched.heartbeat_interval, 30);
    assert.equal(patched.product, lic.product, 'fields not in the patch stay');
    const seen = await viewLicense(server, owner.token, lic.id);
    assert.equal(seen.seats_total, 7);
    assert.deepEqual(seen.features, { export: true });
    const bad = await server.patch(
      `/api/v1/admin/licenses/${lic.id}`,
      { heartbeat_interval: 500 },
      { operator: true },
    );
    assertError(bad, 400, 'bad_request');
    const badStatus = await server.patch(
      `/api/v1/admin/licenses/${lic.id}`,
      { status: 'expired' },
      { operator: true },
    );
    assertError(badStatus, 400, 'bad_request');
    const unknown = await server.patch(
      `/api/v1/admin/licenses/${UNKNOWN_ID}`,
      { seats_total: 3 },
      { operator: true },
    );
    assertError(unknown, 404, 'not_found');
  });

  it('lets owners and admins manage users and keeps members out', async () => {
    const admin = await addUser(server, owner.token, 'admin');
    assert.equal(admin.user.role, 'admin');
    assert.equal(admin.user.tenant_id, owner.tenant.id);
    const member = await addUser(server, admin.token, 'member');
    const users = await server.get('/api/v1/tenants/me/users', { token: admin.token });
    assert.equal(users.status, 200, users.text);
    const emails = users.json.users.map((u) => u.email);
    for (const e of [owner.email, admin.email, member.email]) assert.ok(emails.includes(e), e);

    assertError(await server.get('/api/v1/tenants/me/users', { token: member.token }), 403, 'forbidden');
    const memberAdds = await server.post(
      '/api/v1/tenants/me/users',
      { email: uniqueEmail(), name: 'X', password: PASSWORD, role: 'guest' },
      { token: member.token },
    );
    assertError(memberAdds, 403, 'forbidden');
    const adminMakesOwner = await server.post(
      '/api/v1/tenants/me/users',
      { email: uniqueEmail(), name: 'X', password: PASSWORD, role: 'owner' },
      { token: admin.token },
    );
    assertError(adminMakesOwner, 403, 'forbidden');
    const me = await server.get('/api/v1/tenants/me', { token: member.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.id, owner.tenant.id);

    const [lic] = await listLicenses(server, owner.token);
    const memberLic = await viewLicense(server, member.token, lic.id);
    assert.notEqual(memberLic.key, lic.key, 'members do not see the full key');
    const adminLic = await viewLicense(server, admin.token, lic.id);
    assert.equal(adminLic.key, lic.key);
  });

  it('answers 404 for another tenant\'s license', async () => {
    const stranger = await register(server);
    const [theirs] = await listLicenses(server, stranger.token);
    assertError(await server.get(`/api/v1/licenses/${theirs.id}`, { token: owner.token }), 404, 'not_found');
    const mine = await listLicenses(server, owner.token);
    assert.ok(!mine.some((l) => l.id === theirs.id));
    assertError(await server.get(`/api/v1/licenses/${UNKNOWN_ID}`, { token: owner.token }), 404, 'not_found');
  });
});
