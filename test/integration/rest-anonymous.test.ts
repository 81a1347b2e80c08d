/**
 * Anonymous sessions over HTTP: a credential-less write creates an account and hands back its
 * token (body + header), the token works as a Bearer, a failed write leaves no account, expiry
 * (ManualClock + sweeper) deletes rows and files, upgrade keeps the account in place, and claim
 * moves the models into an existing account.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, filesUnder, uploadGlb } from '../helpers/rest.js';
import { api, ManualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

const HOUR = 3_600_000;
let server: TestServer;
let fx: GlbFixtures;
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
const u = (p: string) => `${server.url}${p}`;

beforeAll(async () => {
  [server, fx] = await Promise.all([
    startTestServer({ VITRINE_RATE_ANON_PER_MIN: '100000', VITRINE_RATE_PRO_PER_MIN: '100000', VITRINE_RATE_FREE_PER_MIN: '100000', VITRINE_MAX_FILE_MB_ANON: '0.01' }, { clock }),
    makeGlbFixtures(),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

const accountCount = () => server.container.core.deps.repos.accounts.count();

async function anonymousUpload(name = 'anon model') {
  const res = await uploadGlb(server.url, null, fx.files.box.path, { name });
  expect(res.status, res.text).toBe(201);
  const token: string = res.json.anonymous_session.token;
  return { res, token, modelId: res.json.id as string };
}

describe('credential-less writes', () => {
  it('POST /v1/models without credentials creates an anonymous account; token in body and header; it works as Bearer', async () => {
    const before = await accountCount();
    const { res, token, modelId } = await anonymousUpload();
    expect(await accountCount()).toBe(before + 1);
    expect(token).toMatch(/^vt_anon_[0-9A-Za-z]+$/);
    expect(res.headers.get('x-vitrine-anonymous-token')).toBe(token);
    expect(res.json.anonymous_session.expires_at).toBe(new Date(clock.now().getTime() + 48 * HOUR).toISOString());
    expect(res.json.expires_at).toBe(res.json.anonymous_session.expires_at);

    const list = await api(u('/v1/models'), { key: token });
    expect(list.status).toBe(200);
    expect(list.json.models.map((m: { id: string }) => m.id)).toEqual([modelId]);
    // Using the token does not mint another session.
    const again = await uploadGlb(server.url, token, fx.files.box.path);
    expect(again.status).toBe(201);
    expect(again.json.anonymous_session).toBeUndefined();
    expect(again.headers.get('x-vitrine-anonymous-token')).toBeNull();
    const account = await api(u('/v1/account'), { key: token });
    expect(account.json).toMatchObject({ plan: 'anonymous', user: { anonymous: true }, usage: { models: 2 } });
    // The anonymous plan limits and the owner's models are separate.
    const ownerList = await api(u('/v1/models'), { key: server.ownerKey });
    expect(ownerList.json.models.map((m: { id: string }) => m.id)).not.toContain(modelId);
    // Anonymous sessions cannot mint API keys.
    expectError(await api(u('/v1/account/api-keys'), { method: 'POST', key: token, json: {} }), 403, 'forbidden');
  });

  it('other credential-less writes (looks, layouts, uploads) also mint a session; reads without one → 401', async () => {
    const look = await api(u('/v1/looks'), { method: 'POST', json: { name: 'anon look' } });
    expect(look.status).toBe(201);
    expect(look.json.anonymous_session.token).toMatch(/^vt_anon_/);
    const looks = await api(u('/v1/looks'), { key: look.json.anonymous_session.token });
    expect(looks.json.looks.map((l: { id: string }) => l.id)).toEqual([look.json.id]);
    expectError(await api(u('/v1/looks')), 401, 'unauthorized');
    expectError(await api(u('/v1/account')), 401, 'unauthorized');
  });

  it('a failed credential-less write leaves no account, no token header, no row and no file', async () => {
    const before = await accountCount();
    const blobsBefore = filesUnder(path.join(server.dataDir, 'blobs'));
    for (const bad of [fx.files.html.path, fx.files.truncated.path, fx.files.externalBuffer.path]) {
      const res = await uploadGlb(server.url, null, bad);
      expectError(res, 400, 'invalid_glb');
      expect(res.headers.get('x-vitrine-anonymous-token')).toBeNull();
      expect(res.json.anonymous_session).toBeUndefined();
    }
    expectError(await uploadGlb(server.url, null, null, { name: 'no file' }), 400, 'invalid_request');
    // Over the anonymous file cap (0.01 MB here) → 413, still no account.
    const big = await uploadGlb(server.url, null, fx.files.grid100k.path);
    expectError(big, 413, 'file_too_large');
    expect(big.headers.get('x-vitrine-anonymous-token')).toBeNull();
    expectError(await api(u('/v1/looks'), { method: 'POST', json: { name: 'x', config: { bg_mode: 'nope' } } }), 400, 'invalid_config');
    expectError(await api(u('/v1/looks'), { method: 'POST', json: { config: {} } }), 400, 'invalid_request');
    expect(await accountCount()).toBe(before);
    expect(filesUnder(path.join(server.dataDir, 'blobs'))).toEqual(blobsBefore);
    expect(filesUnder(path.join(server.dataDir, 'tmp'))).toEqual([]);
  });
});

describe('expiry', () => {
  it('after 48 h the sweeper deletes the account, its rows and files; the token is 401', async () => {
    const { token, modelId } = await anonymousUpload('expiring');
    const accountId = (await api(u('/v1/account'), { key: token })).json.user.id;
    const blobDir = path.join(server.dataDir, 'blobs', 'models', modelId);
    expect(filesUnder(blobDir).length).toBeGreaterThan(0);

    clock.advance(47 * HOUR);
    await server.container.core.sweeper.sweep();
    expect((await api(u('/v1/models'), { key: token })).status).toBe(200);

    clock.advance(2 * HOUR); // 49 h
    const swept = await server.container.core.sweeper.sweep();
    expect(swept.accounts).toBeGreaterThanOrEqual(1);
    const repos = server.container.core.deps.repos;
    expect(await repos.accounts.findById(accountId)).toBeNull();
    expect(await repos.models.findById(modelId)).toBeNull();
    expect(filesUnder(blobDir)).toEqual([]);
    expectError(await api(u('/v1/models'), { key: token }), 401, 'unauthorized');
    // The owner and the other test account are permanent and survive.
    expect((await api(u('/v1/account'), { key: server.ownerKey })).status).toBe(200);
    expect((await api(u('/v1/account'), { key: server.otherKey })).status).toBe(200);
  });

  it('an expired token is refused even before the sweeper has run', async () => {
    const { token } = await anonymousUpload('soon gone');
    clock.advance(48 * HOUR + 1000);
    expectError(await api(u('/v1/models'), { key: token }), 401, 'unauthorized');
  });
});

describe('upgrade and claim', () => {
  it('upgrade converts in place: same account id, expiry cleared, API key returned, models kept past 48 h', async () => {
    const { token, modelId } = await anonymousUpload('keeper');
    const accountId = (await api(u('/v1/account'), { key: token })).json.user.id;
    expectError(await api(u('/v1/account/upgrade'), { method: 'POST', json: {} }), 401, 'unauthorized');
    expectError(await api(u('/v1/account/upgrade'), { method: 'POST', key: token, json: { email: 'not-an-email' } }), 400, 'invalid_request');
    const up = await api(u('/v1/account/upgrade'), { method: 'POST', key: token, json: { email: 'me@example.com' } });
    expect(up.status, up.text).toBe(200);
    expect(up.json).toMatchObject({ account_id: accountId, plan: 'free', expires_at: null });
    const apiKey: string = up.json.api_key.key;
    expect(apiKey).toMatch(/^vt_live_/);

    const acct = await api(u('/v1/account'), { key: apiKey });
    expect(acct.json).toMatchObject({ plan: 'free', user: { id: accountId, email: 'me@example.com', anonymous: false, expires_at: null } });
    // A permanent account cannot be upgraded again.
    expectError(await api(u('/v1/account/upgrade'), { method: 'POST', key: apiKey, json: {} }), 400, 'invalid_request');

    clock.advance(72 * HOUR);
    await server.container.core.sweeper.sweep();
    const list = await api(u('/v1/models'), { key: apiKey });
    expect(list.json.models.map((m: { id: string }) => m.id)).toEqual([modelId]);
    expect((await api(u(`/v1/models/${modelId}`), { key: apiKey })).json.expires_at).toBeNull();
  });

  it('with VITRINE_ALLOW_SIGNUP=false an anonymous session cannot upgrade itself (403) and stays anonymous', async () => {
    const { token } = await anonymousUpload('no signup');
    const settings = server.container.core.deps.settings;
    settings.allowSignup = false;
    try {
      expectError(await api(u('/v1/account/upgrade'), { method: 'POST', key: token, json: {} }), 403, 'forbidden');
      expect((await api(u('/v1/account'), { key: token })).json).toMatchObject({ plan: 'anonymous' });
    } finally {
      settings.allowSignup = true;
    }
  });

  it('claim moves an anonymous session\'s models into an existing account and ends the session', async () => {
    const first = await anonymousUpload('claimed 1');
    const second = await uploadGlb(server.url, first.token, fx.files.box.path, { name: 'claimed 2' });
    expect(second.status).toBe(201);
    const look = await api(u('/v1/looks'), { method: 'POST', key: first.token, json: { name: 'anon look' } });
    const anonAccountId = (await api(u('/v1/account'), { key: first.token })).json.user.id;

    // Errors first: no auth, bad token, another live-but-wrong token shape, anonymous caller.
    expectError(await api(u('/v1/account/claim'), { method: 'POST', json: { anonymous_token: first.token } }), 401, 'unauthorized');
    expectError(await api(u('/v1/account/claim'), { method: 'POST', key: server.otherKey, json: {} }), 400, 'invalid_request');
    expectError(await api(u('/v1/account/claim'), { method: 'POST', key: server.otherKey, json: { anonymous_token: 'vt_anon_nope' } }), 404);
    expectError(await api(u('/v1/account/claim'), { method: 'POST', key: server.otherKey, json: { anonymous_token: server.ownerKey } }), 404);
    expectError(await api(u('/v1/account/claim'), { method: 'POST', key: first.token, json: { anonymous_token: first.token } }), 400, 'invalid_request');

    const res = await api(u('/v1/account/claim'), { method: 'POST', key: server.otherKey, json: { anonymous_token: first.token } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ moved_models: 2 });
    const mine = await api(u('/v1/models?limit=100'), { key: server.otherKey });
    expect(mine.json.models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([first.modelId, second.json.id]));
    const looks = await api(u('/v1/looks'), { key: server.otherKey });
    expect(looks.json.looks.map((l: { id: string }) => l.id)).toContain(look.json.id);
    expect(await server.container.core.deps.repos.accounts.findById(anonAccountId)).toBeNull();
    expectError(await api(u('/v1/models'), { key: first.token }), 401, 'unauthorized');
    // The files were not deleted with the anonymous account.
    expect(filesUnder(path.join(server.dataDir, 'blobs', 'models', first.modelId)).length).toBeGreaterThan(0);
    // The claimed models are permanent now.
    clock.advance(72 * HOUR);
    await server.container.core.sweeper.sweep();
    expect((await api(u(`/v1/models/${first.modelId}`), { key: server.otherKey })).status).toBe(200);
    // Claiming the same token again → 404.
    expectError(await api(u('/v1/account/claim'), { method: 'POST', key: server.otherKey, json: { anonymous_token: first.token } }), 404);
  });

  it('claim beyond the plan model limit → 403 plan_limit_reached naming the limit, nothing moves', async () => {
    const tight = await startTestServer({ VITRINE_MAX_MODELS_FREE: '1', VITRINE_RATE_ANON_PER_MIN: '1000' }, { clock });
    try {
      const mine = await uploadGlb(tight.url, tight.otherKey, fx.files.box.path);
      expect(mine.status).toBe(201);
      const anon = await uploadGlb(tight.url, null, fx.files.box.path);
      const token = anon.json.anonymous_session.token;
      const res = await api(`${tight.url}/v1/account/claim`, { method: 'POST', key: tight.otherKey, json: { anonymous_token: token } });
      expectError(res, 403, 'plan_limit_reached');
      expect(res.json.details.limit).toBe('models');
      expect((await api(`${tight.url}/v1/models`, { key: token })).json.models).toHaveLength(1);
      // And the free plan's own upload limit.
      const over = await uploadGlb(tight.url, tight.otherKey, fx.files.box.path);
      expectError(over, 403, 'plan_limit_reached');
      expect(over.json.message).toMatch(/1 model/);
      expect(over.json.details.limit).toBe('models');
    } finally {
      await tight.stop();
    }
  });
});
