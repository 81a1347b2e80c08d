/**
 * Credentials over HTTP: API keys (secret shown once, never listed, revocation immediate) and
 * Supabase JWTs — HS256 with SUPABASE_JWT_SECRET and ES256 through a JWKS served by a loopback
 * "Supabase" — with iss/aud/exp/alg pinned and is_anonymous mapping to the anonymous plan.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';

const LIMITS = { VITRINE_RATE_PRO_PER_MIN: '100000', VITRINE_RATE_FREE_PER_MIN: '100000', VITRINE_RATE_ANON_PER_MIN: '100000' };
const HS_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

describe('API keys', () => {
  let server: TestServer;
  const u = (p: string) => `${server.url}${p}`;
  beforeAll(async () => {
    server = await startTestServer(LIMITS);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('create returns the vt_live_ secret once; list never shows secrets; revoke is immediate', async () => {
    expectError(await api(u('/v1/account/api-keys'), { method: 'POST', json: {} }), 401, 'unauthorized');
    const created = await api(u('/v1/account/api-keys'), { method: 'POST', key: server.ownerKey, json: { name: 'CI' } });
    expect(created.status, created.text).toBe(201);
    const secret: string = created.json.key;
    expect(secret).toMatch(/^vt_live_[0-9A-Za-z]{30,}$/);
    expect(created.json).toMatchObject({ name: 'CI', revoked_at: null });
    expect(secret.startsWith(created.json.prefix)).toBe(true);
    expect(created.json.prefix.length).toBeLessThan(secret.length - 20);

    // The new key works and belongs to the same account.
    const me = await api(u('/v1/account'), { key: secret });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe((await api(u('/v1/account'), { key: server.ownerKey })).json.user.id);

    const list = await api(u('/v1/account/api-keys'), { key: server.ownerKey });
    expect(list.status).toBe(200);
    expect(list.json.api_keys.map((k: { id: string }) => k.id)).toContain(created.json.id);
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain(server.ownerKey);
    for (const k of list.json.api_keys) expect(Object.keys(k).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at']);
    const listed = list.json.api_keys.find((k: { id: string }) => k.id === created.json.id);
    expect(listed.last_used_at).not.toBeNull(); // it was used above

    // Another owner cannot see or revoke it.
    const theirs = await api(u('/v1/account/api-keys'), { key: server.otherKey });
    expect(theirs.json.api_keys.map((k: { id: string }) => k.id)).not.toContain(created.json.id);
    expectError(await api(u(`/v1/account/api-keys/${created.json.id}`), { method: 'DELETE', key: server.otherKey }), 404, 'api_key_not_found');
    expect((await api(u('/v1/account'), { key: secret })).status).toBe(200);

    const revoked = await api(u(`/v1/account/api-keys/${created.json.id}`), { method: 'DELETE', key: server.ownerKey });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ id: created.json.id, revoked: true });
    expectError(await api(u('/v1/account'), { key: secret }), 401, 'unauthorized');
    expectError(await api(u('/v1/models'), { key: secret }), 401, 'unauthorized');
    expectError(await api(u(`/v1/account/api-keys/${created.json.id}`), { method: 'DELETE', key: server.ownerKey }), 404, 'api_key_not_found');
    const after = await api(u('/v1/account/api-keys'), { key: server.ownerKey });
    // Revoked keys drop out of the list (or, if listed, show when they were revoked).
    const gone = after.json.api_keys.find((k: { id: string }) => k.id === created.json.id);
    if (gone) expect(gone.revoked_at).not.toBeNull();
    // A key can revoke itself; the next request with it fails.
    const self = await api(u('/v1/account/api-keys'), { method: 'POST', key: server.ownerKey, json: {} });
    expect((await api(u(`/v1/account/api-keys/${self.json.id}`), { method: 'DELETE', key: self.json.key })).status).toBe(200);
    expectError(await api(u('/v1/account'), { key: self.json.key }), 401, 'unauthorized');
  });

  it('bad key names → 400; unknown key id → 404', async () => {
    expectError(await api(u('/v1/account/api-keys'), { method: 'POST', key: server.ownerKey, json: { name: '' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/account/api-keys'), { method: 'POST', key: server.ownerKey, json: { name: 'x'.repeat(101) } }), 400, 'invalid_request');
    expectError(await api(u('/v1/account/api-keys/key_nope'), { method: 'DELETE', key: server.ownerKey }), 404, 'api_key_not_found');
  });

  it('an unusable Authorization header on a write is a 401, not a silent anonymous session', async () => {
    for (const header of ['Bearer ', 'Basic dXNlcjpwYXNz', `Token ${server.ownerKey}`]) {
      const res = await api(u('/v1/looks'), { method: 'POST', headers: { authorization: header }, json: { name: 'x' } });
      expectError(res, 401, 'unauthorized');
      expect(res.headers.get('x-vitrine-anonymous-token'), header).toBeNull();
    }
  });

  it('JWTs are refused when no Supabase auth is configured', async () => {
    const jwt = await new SignJWT({ sub: 'u1', aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(HS_SECRET));
    expectError(await api(u('/v1/account'), { key: jwt }), 401, 'unauthorized');
  });
});

describe('Supabase JWTs (HS256 secret + ES256 JWKS on a loopback server)', () => {
  let server: TestServer;
  let supabase: Server;
  let supabaseUrl: string;
  let issuer: string;
  let es: { privateKey: CryptoKey; publicJwk: JWK };
  let jwksHits = 0;
  const u = (p: string) => `${server.url}${p}`;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    es = { privateKey: privateKey as CryptoKey, publicJwk };
    supabase = createServer((req, res) => {
      if (req.url === '/auth/v1/.well-known/jwks.json') {
        jwksHits++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [publicJwk] }));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => supabase.listen(0, '127.0.0.1', r));
    supabaseUrl = `http://127.0.0.1:${(supabase.address() as AddressInfo).port}`;
    issuer = `${supabaseUrl}/auth/v1`;
    server = await startTestServer({ ...LIMITS, SUPABASE_URL: supabaseUrl, SUPABASE_JWT_SECRET: HS_SECRET });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => supabase?.close(r));
  });

  type Claims = Record<string, unknown>;
  const hs = (claims: Claims, opts: { exp?: string | number; secret?: string } = {}) =>
    new SignJWT({ aud: 'authenticated', iss: issuer, ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '1h')
      .sign(new TextEncoder().encode(opts.secret ?? HS_SECRET));
  const es256 = (claims: Claims, opts: { exp?: string | number } = {}) =>
    new SignJWT({ aud: 'authenticated', iss: issuer, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '1h')
      .sign(es.privateKey);

  it('HS256 token signed with SUPABASE_JWT_SECRET → a free account created on first sight, same account next time', async () => {
    const token = await hs({ sub: 'user-hs-1', email: 'hs@example.com', role: 'authenticated' });
    const first = await api(u('/v1/account'), { key: token });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ plan: 'free', user: { email: 'hs@example.com', anonymous: false } });
    const again = await api(u('/v1/account'), { key: await hs({ sub: 'user-hs-1', email: 'hs@example.com' }) });
    expect(again.json.user.id).toBe(first.json.user.id);
    const models = await api(u('/v1/models'), { key: token });
    expect(models.json).toEqual({ models: [], next_cursor: null });
    // A JWT user can create an API key, which then works on its own.
    const k = await api(u('/v1/account/api-keys'), { method: 'POST', key: token, json: { name: 'from jwt' } });
    expect(k.status).toBe(201);
    expect((await api(u('/v1/account'), { key: k.json.key })).json.user.id).toBe(first.json.user.id);
  });

  it('ES256 token verified against the JWKS at SUPABASE_URL/auth/v1/.well-known/jwks.json', async () => {
    const token = await es256({ sub: 'user-es-1', email: 'es@example.com' });
    const res = await api(u('/v1/account'), { key: token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ plan: 'free', user: { email: 'es@example.com' } });
    expect(jwksHits).toBeGreaterThan(0);
  });

  it('wrong issuer, wrong audience, expired, wrong secret, missing sub, alg none, tampered → 401', async () => {
    const bad: [string, string][] = [
      ['HS256 wrong iss', await hs({ sub: 'x', iss: 'https://evil.example.com/auth/v1' })],
      ['HS256 wrong aud', await hs({ sub: 'x', aud: 'anon' })],
      ['HS256 expired', await hs({ sub: 'x' }, { exp: Math.floor(Date.now() / 1000) - 3600 })],
      ['HS256 wrong secret', await hs({ sub: 'x' }, { secret: 'another-secret-another-secret-another-secret' })],
      ['HS256 no sub', await hs({})],
      ['ES256 wrong iss', await es256({ sub: 'x', iss: `${supabaseUrl}/other` })],
      ['ES256 wrong aud', await es256({ sub: 'x', aud: 'service_role' })],
      ['ES256 expired', await es256({ sub: 'x' }, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ];
    const unsigned = (payload: Claims) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    const payload = { sub: 'attacker', aud: 'authenticated', iss: issuer, exp: Math.floor(Date.now() / 1000) + 3600 };
    bad.push(['alg none', unsigned(payload)]);
    const good = await es256({ sub: 'x' });
    const [h, , s] = good.split('.');
    bad.push(['tampered payload', `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url')}.${s}`]);
    // An HS256 token "signed" with the public JWK as secret (algorithm confusion).
    bad.push(['HS256 signed with the public key', await hs({ sub: 'x' }, { secret: JSON.stringify(es.publicJwk) })]);
    bad.push(['garbage three-part', 'a.b.c']);
    for (const [what, token] of bad) {
      const res = await api(u('/v1/account'), { key: token });
      expect(res.status, `${what}: ${res.text}`).toBe(401);
      expectError(res, 401, 'unauthorized');
    }
    // And none of them created an account.
    const repos = server.container.core.deps.repos;
    expect(await repos.accounts.findByExternalId('supabase:attacker')).toBeNull();
    expect(await repos.accounts.findByExternalId('supabase:x')).toBeNull();
  });

  it('is_anonymous: true → the anonymous plan; signing up later (same sub) upgrades in place', async () => {
    const anon = await es256({ sub: 'user-anon-1', is_anonymous: true });
    const res = await api(u('/v1/account'), { key: anon });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ plan: 'anonymous', user: { anonymous: true } });
    expect(res.json.limits.requests_per_minute).toBe(100000);
    const signedUp = await es256({ sub: 'user-anon-1', email: 'later@example.com', is_anonymous: false });
    const after = await api(u('/v1/account'), { key: signedUp });
    expect(after.json).toMatchObject({ plan: 'free', user: { id: res.json.user.id, email: 'later@example.com' } });
  });
});
