/**
 * Backend bench: the same server (built CLI, one process each) on SQLite + files and on
 * Postgres + S3 (s3rver), measured in the same run on the same machine, printed as ratios.
 *
 *   source scripts/ci-postgres.sh && npm run build && node --import tsx test/bench/backend-bench.ts
 *
 * REST: GET /v1/models?limit=20 (auth, rate-limit consume, keyset page) at fixed concurrency.
 * Upload: POST /v1/models multipart (stage, validate, store the file, quota insert), a tiny and
 * a ~1.7 MB GLB. The load generator shares the machine's cores with the server and, for the
 * scale-out row, with Postgres and s3rver too — ratios, not absolute numbers, are the point.
 */
import { readFileSync, statSync } from 'node:fs';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { ownerKeyFrom, startInstance, type Instance } from '../helpers/instances.js';
import { freshDatabase } from '../helpers/postgres.js';
import { startTestS3 } from '../helpers/s3.js';

const REST_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const REST_CONCURRENCY = 16;
const UPLOADS_SMALL = 60;
const UPLOADS_LARGE = 12;
const UPLOAD_CONCURRENCY = 4;

interface Result {
  key: string;
  restRps: number;
  restP50: number;
  restP99: number;
  smallUps: number;
  largeMBps: number;
}

const percentile = (xs: number[], p: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

async function waitForKey(i: Instance): Promise<string> {
  for (let t = 0; t < 100; t++) {
    const k = ownerKeyFrom(i);
    if (k) return k;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${i.name}: no owner key printed`);
}

/** `key`: the owner key of an earlier run on the same database (only a first start prints one). */
async function measure(name: string, env: Record<string, string>, files: { small: string; large: string }, knownKey?: string): Promise<Result> {
  const inst = await startInstance(name, { ...env, VITRINE_RATE_PRO_PER_MIN: '10000000', VITRINE_MAX_MODELS_PRO: '100000', VITRINE_LOG_LEVEL: 'warn' });
  // The key banner is plain stderr, independent of the log level.
  const key = knownKey ?? await waitForKey(inst).catch(async () => {
    await inst.kill();
    throw new Error(`${name}: no owner key`);
  });
  try {
    // Uploads (these also seed the list for the REST phase).
    const t0 = performance.now();
    const small = await pool(UPLOADS_SMALL, UPLOAD_CONCURRENCY, () => uploadGlb(inst.url, key, files.small, { name: 'bench' }));
    const smallSecs = (performance.now() - t0) / 1000;
    if (small.some((r) => r.status !== 201)) throw new Error(`${name}: upload failed: ${small.find((r) => r.status !== 201)!.text}`);
    const largeBytes = statSync(files.large).size;
    const large = readFileSync(files.large);
    const t1 = performance.now();
    const big = await pool(UPLOADS_LARGE, UPLOAD_CONCURRENCY, () => uploadGlb(inst.url, key, large, { name: 'bench-large' }));
    const largeSecs = (performance.now() - t1) / 1000;
    if (big.some((r) => r.status !== 201)) throw new Error(`${name}: large upload failed: ${big.find((r) => r.status !== 201)!.text}`);

    // REST: warm up, then a fixed-duration closed loop.
    const get = async () => {
      const s = performance.now();
      const res = await fetch(`${inst.url}/v1/models?limit=20`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: GET /v1/models → ${res.status}`);
      return performance.now() - s;
    };
    await pool(200, REST_CONCURRENCY, get);
    const lat: number[] = [];
    const until = performance.now() + REST_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: REST_CONCURRENCY }, async () => {
        while (performance.now() < until) lat.push(await get());
      }),
    );
    return {
      key,
      restRps: lat.length / REST_SECONDS,
      restP50: percentile(lat, 50),
      restP99: percentile(lat, 99),
      smallUps: UPLOADS_SMALL / smallSecs,
      largeMBps: (UPLOADS_LARGE * largeBytes) / (1024 * 1024) / largeSecs,
    };
  } finally {
    await inst.kill('SIGTERM');
  }
}

async function main() {
  const adminUrl = process.env.VITRINE_TEST_DATABASE_URL;
  if (!adminUrl) {
    // Part of `npm run bench`: without a Postgres this bench has no scale-out side to measure.
    console.log('backend bench SKIPPED: VITRINE_TEST_DATABASE_URL is not set (`source scripts/ci-postgres.sh` as root starts a PostgreSQL)');
    return;
  }
  const fx = await makeGlbFixtures();
  const files = { small: fx.files.box.path, large: fx.files.grid100k.path };
  const [db, s3] = await Promise.all([freshDatabase(adminUrl), startTestS3('vitrine-bench')]);
  try {
    // Interleave the runs so neither backend gets a systematically warmer machine.
    const sqlite1 = await measure('sqlite-fs', {}, files);
    const scale1 = await measure('postgres-s3', { ...s3.env, DATABASE_URL: db.url }, files);
    const sqlite2 = await measure('sqlite-fs', {}, files);
    const scale2 = await measure('postgres-s3', { ...s3.env, DATABASE_URL: db.url }, files, scale1.key);
    const best = (x: Result, y: Result): Result => ({
      key: x.key,
      restRps: Math.max(x.restRps, y.restRps),
      restP50: Math.min(x.restP50, y.restP50),
      restP99: Math.min(x.restP99, y.restP99),
      smallUps: Math.max(x.smallUps, y.smallUps),
      largeMBps: Math.max(x.largeMBps, y.largeMBps),
    });
    const base = best(sqlite1, sqlite2);
    const scale = best(scale1, scale2);
    const largeMB = (statSync(files.large).size / (1024 * 1024)).toFixed(1);
    const rows: [string, string, (r: Result) => number, number][] = [
      [`GET /v1/models?limit=20, ${REST_CONCURRENCY} concurrent`, 'req/s', (r) => r.restRps, 0],
      ['  latency p50', 'ms', (r) => r.restP50, 2],
      ['  latency p99', 'ms', (r) => r.restP99, 2],
      [`POST /v1/models, ${UPLOADS_SMALL} × small GLB, ${UPLOAD_CONCURRENCY} concurrent`, 'uploads/s', (r) => r.smallUps, 1],
      [`POST /v1/models, ${UPLOADS_LARGE} × ${largeMB} MB GLB, ${UPLOAD_CONCURRENCY} concurrent`, 'MB/s', (r) => r.largeMBps, 1],
    ];
    console.log(`\nbackend bench (best of 2 interleaved runs each; one server process per backend)\n`);
    console.log(`${'measure'.padEnd(52)} ${'unit'.padEnd(10)} ${'sqlite+fs'.padStart(10)} ${'pg+s3'.padStart(10)} ${'pg+s3 / sqlite+fs'.padStart(18)}`);
    for (const [label, unit, get, digits] of rows) {
      console.log(`${label.padEnd(52)} ${unit.padEnd(10)} ${get(base).toFixed(digits).padStart(10)} ${get(scale).toFixed(digits).padStart(10)} ${(get(scale) / get(base)).toFixed(2).padStart(17)}×`);
    }
    console.log('');
  } finally {
    await s3.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
