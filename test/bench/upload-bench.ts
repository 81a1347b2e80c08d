/**
 * Upload bench: a 50 MB valid GLB sent to a vitrine server running in its own process, timed
 * against a raw copy of the same bytes on the same disk, with the server's peak RSS growth read
 * from /proc/<pid>/status (VmHWM, reset before each phase through /proc/<pid>/clear_refs).
 *
 *   node --import tsx test/bench/upload-bench.ts        (BENCH_UPLOAD_MB, default 50)
 *
 * Phases: (1) multipart POST /v1/models end to end (stream to temp file, header checks,
 * gltf-validator in a worker, move into place, row); (2) the direct-upload flow split in two:
 * PUT of the raw bytes (streaming only) and POST /v1/models {upload_id} (validation and store).
 * Uploads go through real curl (`-F file=@…`, `-T …`), which streams from disk.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { bigValidGlb } from './lib/big-glb.js';
import { mb, procStatusBytes, resetPeakRss, startBenchServer } from './lib/child.js';

const run = promisify(execFile);
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 50);

/** Runs `fn` while tracking the server's peak RSS; returns the peak growth over the start RSS. */
async function withPeakRss<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; ms: number; growth: number; base: number }> {
  const hwmReset = resetPeakRss(pid);
  const base = procStatusBytes(pid, 'VmRSS');
  let sampled = base;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, procStatusBytes(pid, 'VmRSS'));
  }, 5);
  const t = performance.now();
  const result = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  const peak = Math.max(sampled, hwmReset ? procStatusBytes(pid, 'VmHWM') : 0);
  return { result, ms, growth: peak - base, base };
}

async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args], { maxBuffer: 16 * 1024 * 1024 });
  const nl = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(nl + 1)), body: stdout.slice(0, nl) };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-upload-bench-'));
  const file = path.join(dir, 'big.glb');
  writeFileSync(file, bigValidGlb(SIZE_MB * 1024 * 1024));
  const size = statSync(file).size;

  // Baselines: the same bytes copied on the same disk.
  const copyTimes: number[] = [];
  const streamTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    copyFileSync(file, path.join(dir, `copy-${i}.glb`));
    copyTimes.push(performance.now() - t);
    t = performance.now();
    await pipeline(createReadStream(file), createWriteStream(path.join(dir, `stream-${i}.glb`)));
    streamTimes.push(performance.now() - t);
  }
  const min = (xs: number[]) => Math.min(...xs);

  const server = await startBenchServer({ VITRINE_LOG_LEVEL: 'warn', VITRINE_RATE_PRO_PER_MIN: '100000' });
  try {
    const auth = `Authorization: Bearer ${server.ownerKey}`;
    // Warm up: the validator worker, SQLite, the blob dirs.
    const fx = await makeGlbFixtures();
    const warm = await uploadGlb(server.url, server.ownerKey, fx.files.box.path);
    if (warm.status !== 201) throw new Error(`warm-up upload failed: ${warm.status} ${warm.text}`);
    await new Promise((r) => setTimeout(r, 500));
    const idleRss = procStatusBytes(server.pid, 'VmRSS');

    const multipart = await withPeakRss(server.pid, () => curl(['-H', auth, '-F', `file=@${file}`, '-F', 'name=Big', `${server.url}/v1/models`]));
    if (multipart.result.status !== 201) throw new Error(`multipart upload failed: ${multipart.result.status} ${multipart.result.body.slice(0, 300)}`);
    const model = JSON.parse(multipart.result.body) as { size_bytes: number; stats: { textures: number } };
    if (model.size_bytes !== size) throw new Error(`stored ${model.size_bytes} bytes, sent ${size}`);

    const created = await curl(['-X', 'POST', '-H', auth, '-H', 'Content-Type: application/json', '-d', '{}', `${server.url}/v1/uploads`]);
    const { upload_url, upload_id } = JSON.parse(created.body) as { upload_url: string; upload_id: string };
    const put = await withPeakRss(server.pid, () => curl(['-H', auth, '-H', 'Content-Type: application/octet-stream', '-T', file, upload_url]));
    if (put.result.status !== 200) throw new Error(`PUT failed: ${put.result.status} ${put.result.body}`);
    const finish = await withPeakRss(server.pid, () =>
      curl(['-X', 'POST', '-H', auth, '-H', 'Content-Type: application/json', '-d', JSON.stringify({ upload_id, name: 'Big 2' }), `${server.url}/v1/models`]),
    );
    if (finish.result.status !== 201) throw new Error(`POST {upload_id} failed: ${finish.result.status} ${finish.result.body}`);

    const copyMs = min(copyTimes);
    const streamMs = min(streamTimes);
    const line = (label: string, value: string) => console.log(`  ${label.padEnd(54)} ${value}`);
    console.log(`upload-bench: ${mb(size)} MB valid GLB (1 triangle + a ${mb(size)} MB embedded PNG), server in its own process, curl client`);
    line('raw copy (fs.copyFile), best of 3', `${copyMs.toFixed(0)} ms`);
    line('raw copy (read stream → write stream), best of 3', `${streamMs.toFixed(0)} ms`);
    line('multipart POST /v1/models, end to end', `${multipart.ms.toFixed(0)} ms  (${(multipart.ms / streamMs).toFixed(1)}× stream copy, ${(multipart.ms / copyMs).toFixed(1)}× copyFile; ${((size / 1024 / 1024) / (multipart.ms / 1000)).toFixed(0)} MB/s)`);
    line('  direct upload: PUT raw bytes (streaming only)', `${put.ms.toFixed(0)} ms  (${(put.ms / streamMs).toFixed(1)}× stream copy)`);
    line('  direct upload: POST {upload_id} (validate+store)', `${finish.ms.toFixed(0)} ms`);
    line('server RSS when idle after warm-up', `${mb(idleRss)} MB`);
    line('peak RSS growth, multipart upload (incl. validation)', `${mb(multipart.growth)} MB  (${((multipart.growth / size) * 100).toFixed(0)}% of the file)`);
    line('peak RSS growth, PUT (streaming, before validation)', `${mb(put.growth)} MB  (${((put.growth / size) * 100).toFixed(0)}% of the file)`);
    line('peak RSS growth, POST {upload_id} (validation)', `${mb(finish.growth)} MB  (${((finish.growth / size) * 100).toFixed(0)}% of the file)`);
    console.log(`  streaming ${put.growth < size / 4 ? 'OK' : 'NOT STREAMING'}: bytes in flight stay well under the file size before validation; validation loads the file into the validator worker`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
