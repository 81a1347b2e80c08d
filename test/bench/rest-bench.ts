/**
 * REST bench: GET /v1/models with 20 models (bearer auth, one SQLite rate-limit consume, keyset
 * page from SQLite, presenters, request log at info) against a bare Express route returning the
 * very same JSON. Same run, same client: N keep-alive loops for a fixed time, alternating
 * targets over several rounds; each server runs in its own process.
 *
 *   node --import tsx test/bench/rest-bench.ts        (BENCH_SECONDS, BENCH_CONCURRENCY)
 *
 * Prints requests/s, p50/p99 latency, server CPU per request and `ratio` = vitrine / bare
 * throughput (goal ≥ 0.5).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { procCpuMs, startBenchServer } from './lib/child.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODELS = 20;

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per request (µs): the cost that stays put when the machine is busy. */
  cpuUsPerReq: number;
}

/** Keep-alive GETs from `concurrency` loops for `seconds`; bodies are read, not parsed. */
async function load(url: string, headers: Record<string, string>, seconds: number, concurrency: number, serverPid: number): Promise<RunResult> {
  const cpuBefore = procCpuMs(serverPid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(url, { agent, headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const status = await once().catch(() => 0);
        if (status !== 200) errors++;
        else latencies.push(performance.now() - t);
      }
    }),
  );
  const cpuMs = procCpuMs(serverPid) - cpuBefore;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: latencies.length / seconds, p50: pct(50), p99: pct(99), errors, cpuUsPerReq: (cpuMs * 1000) / Math.max(1, latencies.length + errors) };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const fx = await makeGlbFixtures();
  // Huge rate limit: the consume still happens on every request, it just never says no.
  const vitrine = await startBenchServer(
    { VITRINE_RATE_PRO_PER_MIN: '1000000000', VITRINE_LOG_LEVEL: 'info' },
    { stderr: 'ignore' }, // request logs are written (as in production) to /dev/null
  );
  let bare: Awaited<ReturnType<typeof startBenchServer>> | null = null;
  try {
    for (let i = 0; i < MODELS; i++) {
      const res = await uploadGlb(vitrine.url, vitrine.ownerKey, fx.files.box.path, { name: `Model ${i + 1}` });
      if (res.status !== 201) throw new Error(`upload ${i} failed: ${res.status} ${res.text}`);
    }
    const auth = { authorization: `Bearer ${vitrine.ownerKey}` };
    const listUrl = `${vitrine.url}/v1/models`;
    const body = await (await fetch(listUrl, { headers: auth })).text();
    const parsed = JSON.parse(body) as { models: unknown[] };
    if (parsed.models.length !== MODELS) throw new Error(`expected ${MODELS} models, got ${parsed.models.length}`);
    const jsonFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'vitrine-bench-')), 'models.json');
    writeFileSync(jsonFile, body);
    bare = await startBenchServer({}, { args: ['--bare-json', jsonFile] });
    const bareUrl = `${bare.url}/v1/models`;
    const bareBody = await (await fetch(bareUrl)).text();
    if (bareBody !== body) throw new Error('bare route does not return the same JSON');

    console.log(`rest-bench: GET /v1/models, ${MODELS} models, ${body.length} bytes, ${CONCURRENCY} keep-alive loops, ${ROUNDS} rounds × ${SECONDS}s per target`);
    // Warm up both (JIT, SQLite page cache, sockets).
    await load(bareUrl, {}, 1, CONCURRENCY, bare.pid);
    await load(listUrl, auth, 1, CONCURRENCY, vitrine.pid);
    const results = { bare: [] as RunResult[], vitrine: [] as RunResult[] };
    for (let r = 0; r < ROUNDS; r++) {
      results.bare.push(await load(bareUrl, {}, SECONDS, CONCURRENCY, bare.pid));
      results.vitrine.push(await load(listUrl, auth, SECONDS, CONCURRENCY, vitrine.pid));
    }
    const row = (name: string, rs: RunResult[]) =>
      `  ${name.padEnd(26)} ${median(rs.map((r) => r.rps)).toFixed(0).padStart(7)} req/s   p50 ${median(rs.map((r) => r.p50)).toFixed(2)} ms   p99 ${median(rs.map((r) => r.p99)).toFixed(2)} ms   server CPU ${median(rs.map((r) => r.cpuUsPerReq)).toFixed(0)} µs/req   errors ${rs.reduce((a, r) => a + r.errors, 0)}   rounds ${rs.map((r) => r.rps.toFixed(0)).join('/')}`;
    console.log(row('bare express (same JSON)', results.bare));
    console.log(row('vitrine GET /v1/models', results.vitrine));
    const ratio = median(results.vitrine.map((r) => r.rps)) / median(results.bare.map((r) => r.rps));
    const cpuRatio = median(results.bare.map((r) => r.cpuUsPerReq)) / median(results.vitrine.map((r) => r.cpuUsPerReq));
    console.log(`  ratio ${ratio.toFixed(2)} (throughput, vitrine / bare; goal >= 0.5) ${ratio >= 0.5 ? 'OK' : 'BELOW GOAL'}`);
    console.log(`  cpu ratio ${cpuRatio.toFixed(2)} (bare CPU per request / vitrine CPU per request: the same ratio measured as server cost, less sensitive to a busy machine)`);
    console.log(`  machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
    if (results.vitrine.some((r) => r.errors > 0)) throw new Error('vitrine answered non-200 during the bench');
  } finally {
    await bare?.stop();
    await vitrine.stop();
  }
}

await main();
