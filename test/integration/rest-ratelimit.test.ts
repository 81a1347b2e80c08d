/**
 * Rate limits over real HTTP: exact under concurrency (100 requests at once on a 20/min bucket →
 * exactly 20 pass), keyed by IP for anonymous traffic (new sessions don't reset it), per account
 * for keys, headers on every /v1 response including errors, 429 + Retry-After exposed via CORS.
 * The clock is manual so "a minute" is exact and the test is not timing-dependent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, uploadGlb, type ApiResult } from '../helpers/rest.js';
import { api, ManualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let fx: GlbFixtures;
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
const u = (p: string) => `${server.url}${p}`;

beforeAll(async () => {
  [server, fx] = await Promise.all([
    startTestServer({ VITRINE_RATE_ANON_PER_MIN: '20', VITRINE_RATE_FREE_PER_MIN: '20', VITRINE_RATE_PRO_PER_MIN: '100000' }, { clock }),
    makeGlbFixtures(),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

function expectRateHeaders(res: ApiResult, limit: number) {
  expect(res.headers.get('x-ratelimit-limit'), `${res.status} ${res.text.slice(0, 100)}`).toBe(String(limit));
  expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) expect(exposed).toContain(h);
}

async function burst(n: number, make: () => Promise<ApiResult>) {
  const results = await Promise.all(Array.from({ length: n }, make));
  const by = (s: number) => results.filter((r) => r.status === s);
  return { results, ok: by(200), limited: by(429) };
}

describe('exact under concurrency', () => {
  it('100 concurrent anonymous requests on a 20/min IP bucket → exactly 20 pass', async () => {
    const { results, ok, limited } = await burst(100, () => api(u('/v1/hdris')));
    expect(ok.length).toBe(20);
    expect(limited.length).toBe(80);
    for (const r of results) expectRateHeaders(r, 20);
    const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const r of limited) {
      expectError(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    // GCRA: one request drips back every 60/20 = 3 s; a full minute refills the bucket.
    clock.advance(2_900);
    expect((await api(u('/v1/config-schema'))).status).toBe(429);
    clock.advance(200);
    expect((await api(u('/v1/config-schema'))).status).toBe(200);
    expect((await api(u('/v1/config-schema'))).status).toBe(429);
    clock.advance(60_000);
    const refill = await burst(30, () => api(u('/v1/hdris')));
    expect(refill.ok.length).toBe(20);
  });

  it('100 concurrent requests with a 20/min (free) API key → exactly 20 pass; another account is unaffected', async () => {
    clock.advance(60_000);
    const { results, ok, limited } = await burst(100, () => api(u('/v1/models'), { key: server.otherKey }));
    expect(ok.length).toBe(20);
    expect(limited.length).toBe(80);
    for (const r of results) expectRateHeaders(r, 20);
    const owner = await api(u('/v1/models'), { key: server.ownerKey });
    expect(owner.status).toBe(200);
    expect(owner.headers.get('x-ratelimit-limit')).toBe('100000');
  });

  it('new anonymous sessions do not reset the IP bucket', async () => {
    clock.advance(60_000);
    const statuses: number[] = [];
    const tokens = new Set<string>();
    for (let i = 0; i < 22; i++) {
      const res = i % 2 === 0 ? await uploadGlb(server.url, null, fx.files.box.path) : await api(u('/v1/looks'), { method: 'POST', json: { name: `l${i}` } });
      statuses.push(res.status);
      if (res.json?.anonymous_session) tokens.add(res.json.anonymous_session.token);
    }
    expect(statuses.filter((s) => s === 201).length).toBe(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // A session token is still anonymous traffic from the same IP: limited too.
    const [token] = tokens;
    const res = await api(u('/v1/models'), { key: token! });
    expectError(res, 429, 'rate_limited');
  });
});

describe('headers on every /v1 response', () => {
  it('success, 400, 401 (no and bad credentials), 404 and 429 all carry X-RateLimit-*', async () => {
    clock.advance(120_000);
    const key = server.ownerKey;
    const m = await uploadGlb(server.url, key, fx.files.box.path);
    expectRateHeaders(m, 100000);
    expectRateHeaders(await api(u('/v1/models/mdl_nope'), { key }), 100000);
    expectRateHeaders(await api(u(`/v1/models/${m.json.id}/config`), { method: 'PATCH', key, json: { bg_mode: 'nope' } }), 100000);
    expectRateHeaders(await api(u(`/v1/showcases/${m.json.id}/embed`), { key }), 100000);
    expectRateHeaders(await api(u('/v1/account')), 20);
    expectRateHeaders(await api(u('/v1/account'), { key: 'vt_live_wrong' }), 20);
    expectRateHeaders(await api(u('/v1/models'), { key: 'not-a-token' }), 20);
    expectRateHeaders(await uploadGlb(server.url, key, fx.files.html.path), 100000);
    const badJson = await api(u(`/v1/models/${m.json.id}/config`), { method: 'PATCH', key, body: '{"bg_mode":', headers: { 'content-type': 'application/json' } });
    expectError(badJson, 400, 'invalid_request');
    expectRateHeaders(badJson, 100000);
    const tooBig = await api(u('/v1/looks'), { method: 'POST', key, json: { name: 'x'.repeat(1_100_000) } });
    expectError(tooBig, 413);
    expectRateHeaders(tooBig, 100000);
    // Bodies are parsed only after admission: no credentials on a read → 401, not a parse error.
    const unauth = await api(u('/v1/account/api-keys'), { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } });
    expectError(unauth, 401, 'unauthorized');
    expectRateHeaders(unauth, 20);
  });

  it('failed authentication attempts are rate limited by IP too (no free key guessing)', async () => {
    clock.advance(120_000);
    const { ok, results } = await burst(30, () => api(u('/v1/models'), { key: 'vt_live_' + 'x'.repeat(38) }));
    expect(ok.length).toBe(0);
    expect(results.filter((r) => r.status === 401).length).toBe(20);
    expect(results.filter((r) => r.status === 429).length).toBe(10);
  });

  it('CORS preflight allows Authorization; rate headers and Retry-After are exposed', async () => {
    const res = await fetch(u('/v1/models'), {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
    expect((res.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('authorization');
    expect((res.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('PATCH');
  });
});
