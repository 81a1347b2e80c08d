/**
 * Bench child process: a real vitrine server (startTestServer: Express, SQLite, files) or, with
 * `--bare-json <file>`, only a bare Express app that answers GET /v1/models with that JSON.
 * Prints one JSON line `{ url, ownerKey, dataDir, pid }` on stdout, then serves until stdin
 * closes. Running the servers in their own process keeps the load generator's CPU out of
 * the server's numbers, and lets the parent read this process's RSS from /proc.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startTestServer } from '../../helpers/test-server.js';

const env = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;
const bareIdx = process.argv.indexOf('--bare-json');

let info: { url: string; ownerKey: string | null; dataDir: string | null };
let stop: () => Promise<void>;
if (bareIdx > 0) {
  const body = JSON.parse(readFileSync(process.argv[bareIdx + 1]!, 'utf8'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/v1/models', (_req, res) => {
    res.json(body);
  });
  const bare = app.listen(0, '127.0.0.1');
  await new Promise((r) => bare.once('listening', r));
  bare.keepAliveTimeout = 5_000;
  info = { url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`, ownerKey: null, dataDir: null };
  stop = async () => {
    bare.closeAllConnections();
    await new Promise((r) => bare.close(r));
  };
} else {
  const server = await startTestServer(env);
  info = { url: server.url, ownerKey: server.ownerKey, dataDir: server.dataDir };
  stop = () => server.stop();
}

process.stdout.write(JSON.stringify({ ...info, pid: process.pid }) + '\n');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stop();
  process.exit(0);
};
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.on('SIGTERM', shutdown);
process.stdin.resume();
