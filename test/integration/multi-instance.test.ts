/**
 * Three real server processes (`node dist/src/cli.js serve`) on one PostgreSQL and one S3
 * server (s3rver), requests spread across them:
 *  - a model uploaded through one instance is listed, described and served by the others;
 *  - a 20/min anonymous bucket lets exactly 20 of 100 concurrent requests through in total;
 *  - a Supabase user's first requests, racing on all three, create exactly one account;
 *  - an expired anonymous account is swept exactly once when three instances sweep at once;
 *  - an instance SIGKILLed after its file reached S3 but before its row was written leaves an
 *    orphan file that the reaper removes once the instance is known dead — and at the end every
 *    model row has its file and every model file has its row.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { api } from '../helpers/test-server.js';
import { ownerKeyFrom, startInstance, type Instance } from '../helpers/instances.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * A pass-through proxy in front of s3rver for one instance. When armed, it forwards the write
 * of a model file to S3, lets S3 store it, and then never answers the instance: the file exists
 * but the instance never learns it, so it is guaranteed to be between "file stored" and "row
 * inserted" when the test kills it.
 */
async function startHoldingProxy(target: string) {
  const t = new URL(target);
  let armed = false;
  let onHeld: ((key: string) => void) | null = null;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const isModelWrite =
      (req.method === 'PUT' && /\/models\/[^/]+\/model\.glb(\?|$)/.test(url) && !/partNumber=/.test(url)) ||
      (req.method === 'POST' && /\/models\/[^/]+\/model\.glb\?.*uploadId=/.test(url));
    const hold = armed && isModelWrite;
    if (hold) armed = false;
    const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: url, headers: req.headers }, (upRes) => {
      if (hold) {
        upRes.resume();
        upRes.on('end', () => onHeld?.(decodeURIComponent(url.split('?')[0]!)));
        return; // never answer
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm(): Promise<string> {
      armed = true;
      return new Promise((resolve) => (onHeld = resolve));
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A stand-in for a Supabase project's Auth: ES256 keys, JWKS at /auth/v1/.well-known/jwks.json. */
async function startFakeSupabaseAuth() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const server = http.createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sign: (sub: string) =>
      new SignJWT({ aud: 'authenticated', iss: `${url}/auth/v1`, email: `${sub}@example.com`, role: 'authenticated' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describePostgres('three instances on one Postgres + one S3', (adminUrl) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let s3: TestS3;
  let proxy: Awaited<ReturnType<typeof startHoldingProxy>>;
  let auth: Awaited<ReturnType<typeof startFakeSupabaseAuth>>;
  let fx: GlbFixtures;
  let pgc: pg.Client;
  let s3c: S3Client;
  const instances: Instance[] = [];
  let a: Instance, b: Instance, c: Instance;
  let ownerKey: string;
  let env: Record<string, string>;

  const launch = async (name: string, extra: Record<string, string> = {}) => {
    const i = await startInstance(name, { ...env, ...extra });
    instances.push(i);
    return i;
  };
  const modelKeysInBucket = async () => {
    const res = await s3c.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'models/' }));
    return (res.Contents ?? []).map((o) => o.Key!).sort();
  };

  beforeAll(async () => {
    [db, s3, fx] = await Promise.all([freshDatabase(adminUrl), startTestS3(), makeGlbFixtures()]);
    proxy = await startHoldingProxy(s3.endpoint);
    auth = await startFakeSupabaseAuth();
    env = {
      ...s3.env,
      SUPABASE_URL: auth.url,
      DATABASE_URL: db.url,
      VITRINE_RATE_ANON_PER_MIN: '20',
      VITRINE_RATE_PRO_PER_MIN: '100000',
      // ~1 s: anonymous accounts expire almost at once, so the sweep can be exercised.
      VITRINE_ANON_TTL_HOURS: '0.0003',
      // Requests carry X-Forwarded-For so each scenario gets its own anonymous IP bucket.
      VITRINE_TRUST_PROXY: 'loopback',
    };
    // The first instance migrates the fresh database and creates the owner; the other two
    // start together against the migrated schema.
    a = await launch('a');
    ownerKey = await waitFor('the owner key banner', async () => ownerKeyFrom(a));
    [b, c] = await Promise.all([launch('b'), launch('c', { VITRINE_S3_ENDPOINT: proxy.endpoint })]);
    pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    s3c = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill('SIGTERM')));
    await pgc?.end();
    s3c?.destroy();
    await proxy?.close();
    await auth?.close();
    await s3?.close();
    await db?.drop();
  }, 60_000);

  it('serves a model uploaded through one instance from the others', async () => {
    const up = await uploadGlb(a.url, ownerKey, fx.files.box.path, { name: 'Shared box' });
    expect(up.status, up.text).toBe(201);
    const id = up.json.id as string;
    for (const other of [b, c]) {
      const got = await api(`${other.url}/v1/models/${id}`, { key: ownerKey });
      expect(got.status).toBe(200);
      expect(got.json.name).toBe('Shared box');
      const list = await api(`${other.url}/v1/models?limit=50`, { key: ownerKey });
      expect(list.json.models.map((m: { id: string }) => m.id)).toContain(id);
    }
    // Publish through c, then fetch the GLB bytes publicly through b.
    expect((await api(`${c.url}/v1/showcases/${id}`, { method: 'PATCH', key: ownerKey, json: { published: true } })).status).toBe(200);
    const glb = await fetch(`${b.url}/p/${id}/model.glb`);
    expect(glb.status).toBe(200);
    const bytes = Buffer.from(await glb.arrayBuffer());
    const sha = (x: Uint8Array) => createHash('sha256').update(x).digest('hex');
    expect(sha(bytes)).toBe(sha(readFileSync(fx.files.box.path)));
    // The bytes live in the shared bucket, not on any instance's disk.
    expect(await modelKeysInBucket()).toContain(`models/${id}/model.glb`);
  });

  it('lets exactly 20 of 100 concurrent anonymous requests through a 20/min bucket, across all three', async () => {
    const ip = '203.0.113.20';
    const all = [a, b, c];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api(`${all[i % 3]!.url}/v1/hdris`, { headers: { 'x-forwarded-for': ip } })),
    );
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(20);
    expect(limited).toHaveLength(80);
    // Per-process buckets would have let up to 60 through; every instance answered some of
    // the burst. The remaining counts come from one shared bucket: all within 0…19 and down to 0.
    // (They are not an exact 19…0 permutation: real time passes during the burst, and a few ms of
    // refill can make two consecutive decisions round to the same remaining count.)
    for (let k = 0; k < 3; k++) expect(results.filter((_, i) => i % 3 === k).every((r) => r.status === 200 || r.status === 429)).toBe(true);
    const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    expect(Math.min(...remaining)).toBe(0);
    expect(Math.max(...remaining)).toBeLessThanOrEqual(19);
  });

  it('creates exactly one account when a Supabase user\'s first requests race on all three instances', async () => {
    const sub = `user-${Date.now()}`;
    const token = await auth.sign(sub);
    const all = [a, b, c];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => api(`${all[i % 3]!.url}/v1/account`, { key: token })));
    for (const r of results) expect(r.status, r.text).toBe(200);
    const rows = await pgc.query('SELECT id, plan FROM vitrine.accounts WHERE external_id = $1', [`supabase:${sub}`]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].plan).toBe('free');
  });

  it('sweeps an expired anonymous account exactly once when three instances sweep at once', async () => {
    // An anonymous write creates the account and its model.
    const up = await uploadGlb(b.url, null, fx.files.box.path, { name: 'anon', headers: { 'x-forwarded-for': '203.0.113.30' } });
    expect(up.status, up.text).toBe(201);
    const token = up.headers.get('x-vitrine-anonymous-token')!;
    const modelId = up.json.id as string;
    const account = (await pgc.query('SELECT owner_id FROM vitrine.models WHERE id = $1', [modelId])).rows[0].owner_id as string;
    expect(await modelKeysInBucket()).toContain(`models/${modelId}/model.glb`);
    await sleep(1_500); // past the ~1.08 s TTL

    // Every instance sweeps at start: three fresh instances starting together race for it.
    const sweepers = await Promise.all([launch('sweep1'), launch('sweep2'), launch('sweep3')]);
    await waitFor('the account to be swept', async () => (await pgc.query('SELECT 1 FROM vitrine.accounts WHERE id = $1', [account])).rowCount === 0);
    await sleep(1_000);
    const sweptBy = sweepers.flatMap((s) => s.logs.filter((l) => l.msg === 'swept expired anonymous accounts').map((l) => ({ who: s.name, accounts: l.accounts, models: l.models })));
    expect(sweptBy).toHaveLength(1);
    expect(sweptBy[0]).toMatchObject({ accounts: 1, models: 1 });
    await Promise.all(sweepers.map((s) => s.kill('SIGTERM')));

    expect(await modelKeysInBucket()).not.toContain(`models/${modelId}/model.glb`);
    for (const i of [a, b, c]) {
      const r = await api(`${i.url}/v1/models`, { key: token, headers: { 'x-forwarded-for': '203.0.113.31' } });
      expect(r.status).toBe(401);
    }
  }, 90_000);

  it('leaves no file without a row and no row without a file when an instance dies mid-upload', async () => {
    const held = proxy.arm();
    const upload = uploadGlb(c.url, ownerKey, fx.files.box.path, { name: 'doomed' }).catch((e: Error) => ({ status: 0, text: e.message }));
    const key = await held;
    // c's file is in S3, c is waiting for S3's answer and has not written the row: kill it now.
    await c.kill('SIGKILL');
    expect((await upload).status).toBe(0);
    const orphanId = /models\/([^/]+)\/model\.glb/.exec(key)![1]!;
    expect(await modelKeysInBucket()).toContain(`models/${orphanId}/model.glb`);
    expect((await pgc.query('SELECT 1 FROM vitrine.models WHERE id = $1', [orphanId])).rowCount).toBe(0);
    // The intent names the dead instance, so live instances leave it alone for now...
    const intent = await pgc.query('SELECT instance_id, reaped_at FROM vitrine.blob_intents WHERE model_id = $1', [orphanId]);
    expect(intent.rows).toHaveLength(1);
    expect(intent.rows[0].reaped_at).toBeNull();

    // ...until its heartbeat is stale (20 s, by the database clock); then the reaper of the
    // restarted instance removes the file at its first pass (a few seconds after start; the
    // wait also covers the next periodic pass in case a loaded machine delays the first).
    await waitFor(
      'the dead instance to miss its heartbeats',
      async () =>
        (await pgc.query(`SELECT 1 FROM vitrine.instances WHERE id = $1 AND heartbeat_at > now() - interval '20 seconds'`, [intent.rows[0].instance_id]))
          .rowCount === 0,
      40_000,
    );
    const c2 = await launch('c2');
    await waitFor('the orphan file to be reaped', async () => !(await modelKeysInBucket()).includes(`models/${orphanId}/model.glb`), 80_000).catch((err) => {
      throw new Error(`${err.message}; c2 warnings: ${JSON.stringify(c2.logs.filter((l) => (l.level as number) >= 40))} ${c2.text.join(' | ')}`);
    });
    expect((await pgc.query('SELECT reaped_at FROM vitrine.blob_intents WHERE model_id = $1', [orphanId])).rows[0].reaped_at).not.toBeNull();

    // A row can no longer be created for the reaped id, even by a late writer.
    const late = await pgc
      .query(
        `INSERT INTO vitrine.models (id, owner_id, name, published, overrides, file_key, size_bytes, sha256, stats, thumbnail, created_at, updated_at)
         SELECT $1, owner_id, 'late', false, '{}', 'k', 1, 's', '{}', '{}', now(), now() FROM vitrine.models LIMIT 1`,
        [orphanId],
      )
      .then(() => 'inserted', (e: { code?: string }) => e.code);
    expect(late).toBe('VT001');

    // The invariant, over everything this test created: rows ⇔ files.
    const rows = (await pgc.query('SELECT id FROM vitrine.models')).rows.map((r) => r.id as string).sort();
    const fileIds = [...new Set((await modelKeysInBucket()).map((k) => k.split('/')[1]!))].sort();
    expect(fileIds).toEqual(rows);
    // The surviving instances still serve the shared data.
    expect((await api(`${c2.url}/v1/models?limit=50`, { key: ownerKey })).json.models.length).toBe(rows.length);
  }, 180_000);
});
