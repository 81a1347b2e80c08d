import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refusedAddressKind } from '../../src/uploads/address-policy.js';
import { FsStaging } from '../../src/uploads/fs-staging.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let tmp: string;
let dir: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staging-'));
  dir = path.join(tmp, 'staging');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});
const leftovers = async () => readdir(dir).catch(() => []);

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private (unique-local)'],
    ['fc00::1', 'private (unique-local)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a00:5', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::1', 'loopback'],
  ])('refuses %s (%s)', (ip, kind) => {
    expect(refusedAddressKind(ip)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450::1'])('allows public %s', (ip) => {
    expect(refusedAddressKind(ip)).toBeNull();
  });
});

describe('FsStaging.fromStream', () => {
  it('stages bytes with size and sha256, and release is idempotent', async () => {
    const staging = new FsStaging({ dir });
    const data = Buffer.from('x'.repeat(100_000));
    const f = await staging.fromStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), 100_000);
    expect(f.size).toBe(100_000);
    expect(f.sha256).toBe(sha(data));
    expect((await readFile(f.path)).equals(data)).toBe(true);
    await f.release();
    await f.release();
    expect(await leftovers()).toEqual([]);
  });

  it('refuses the first byte over the cap, removes the temp file, and stops the source', async () => {
    const staging = new FsStaging({ dir });
    let produced = 0;
    // An endless source: the stager must not read it forever.
    const endless = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const closed = new Promise((r) => endless.once('close', r));
    await expect(staging.fromStream(endless, 1_000_000)).rejects.toMatchObject({ code: 'file_too_large', details: { max_bytes: 1_000_000 } });
    expect(await leftovers()).toEqual([]);
    await closed; // drained up to the drain limit, then destroyed
    expect(produced).toBeLessThan(40 * 1024 * 1024);
  });

  it('accepts exactly maxBytes', async () => {
    const f = await new FsStaging({ dir }).fromStream(Readable.from([Buffer.alloc(1000)]), 1000);
    expect(f.size).toBe(1000);
    await f.release();
  });

  it('turns a source error into invalid_request and leaves nothing behind', async () => {
    const broken = new Readable({ read() {} });
    broken.push(Buffer.alloc(10));
    setTimeout(() => broken.destroy(new Error('socket hang up')), 10);
    await expect(new FsStaging({ dir }).fromStream(broken, 1000)).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await leftovers()).toEqual([]);
  });

  it('lets an HTTP server answer 413 to an oversized body instead of hanging or resetting', async () => {
    const staging = new FsStaging({ dir });
    const server = http.createServer((req, res) => {
      staging.fromStream(req, 64 * 1024).then(
        (f) => f.release().then(() => res.end('ok')),
        (err: { code: string }) => {
          res.statusCode = err.code === 'file_too_large' ? 413 : 400;
          res.end(err.code);
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'PUT', body: Buffer.alloc(4 * 1024 * 1024), signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(413);
      expect(await res.text()).toBe('file_too_large');
    } finally {
      server.close();
    }
  });
});

describe('FsStaging.fromBase64', () => {
  const staging = () => new FsStaging({ dir });
  it('decodes strict base64, with line breaks or a data: prefix', async () => {
    const bytes = Buffer.from('glTF and some binary \u0000\u0001\u00ff');
    const b64 = bytes.toString('base64');
    for (const input of [b64, `${b64.slice(0, 8)}\n${b64.slice(8)}`, `data:model/gltf-binary;base64,${b64}`]) {
      const f = await staging().fromBase64(input, 1000);
      expect(f.sha256).toBe(sha(bytes));
      expect((await readFile(f.path)).equals(bytes)).toBe(true);
      await f.release();
    }
  });
  it.each([['not base64!'], ['abc'], ['ab=c'], ['YWJj-_'], ['']])('rejects %j with invalid_request', async (input) => {
    await expect(staging().fromBase64(input, 1000)).rejects.toMatchObject({ code: 'invalid_request' });
  });
  it('checks the decoded size before decoding', async () => {
    await expect(staging().fromBase64(Buffer.alloc(1001).toString('base64'), 1000)).rejects.toMatchObject({ code: 'file_too_large' });
    const f = await staging().fromBase64(Buffer.alloc(1000).toString('base64'), 1000);
    expect(f.size).toBe(1000);
  });
});

describe('FsStaging.fromLocalPath', () => {
  it('copies a regular file', async () => {
    const src = path.join(tmp, 'shoe.glb');
    await writeFile(src, 'glb!');
    const f = await new FsStaging({ dir }).fromLocalPath(src, 100);
    expect(f.size).toBe(4);
    expect(f.sha256).toBe(sha('glb!'));
    expect(await readFile(src, 'utf8')).toBe('glb!'); // untouched
  });
  it('explains missing, directory, relative and too-large paths', async () => {
    const s = new FsStaging({ dir });
    await expect(s.fromLocalPath(path.join(tmp, 'missing.glb'), 100)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('does not exist') });
    await mkdir(path.join(tmp, 'adir'));
    await expect(s.fromLocalPath(path.join(tmp, 'adir'), 100)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('not a regular file') });
    await expect(s.fromLocalPath('shoe.glb', 100)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('absolute') });
    await writeFile(path.join(tmp, 'big.glb'), Buffer.alloc(101));
    await expect(s.fromLocalPath(path.join(tmp, 'big.glb'), 100)).rejects.toMatchObject({ code: 'file_too_large' });
    expect(await leftovers()).toEqual([]);
  });
});

describe('FsStaging.fromUrl', () => {
  let server: http.Server;
  let base: string;
  let port: number;
  const body = Buffer.from('pretend this is a GLB '.repeat(1000));

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      switch (u.pathname) {
        case '/model.glb':
          res.setHeader('content-type', 'model/gltf-binary');
          res.end(body);
          return;
        case '/chunked': // no content-length: the cap must hold while streaming
          res.write(body);
          res.write(body);
          res.end();
          return;
        case '/redirect': {
          const n = Number(u.searchParams.get('n') ?? 0);
          res.statusCode = 302;
          res.setHeader('location', n > 1 ? `/redirect?n=${n - 1}` : '/model.glb');
          res.end();
          return;
        }
        case '/to': // redirect to an arbitrary target
          res.statusCode = 301;
          res.setHeader('location', u.searchParams.get('target')!);
          res.end();
          return;
        case '/hang':
          return; // never answers
        case '/slow-body':
          res.setHeader('content-length', String(body.length));
          res.write(body.subarray(0, 10)); // then stalls
          return;
        default:
          res.statusCode = 404;
          res.end('nope');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const open = (extra: Partial<ConstructorParameters<typeof FsStaging>[0]> = {}) => new FsStaging({ dir, allowPrivateUrls: true, ...extra });

  it('downloads with allowPrivateUrls (loopback test server) and hashes the bytes', async () => {
    const f = await open().fromUrl(`${base}/model.glb`, 1_000_000);
    expect(f.size).toBe(body.length);
    expect(f.sha256).toBe(sha(body));
    await f.release();
  });

  it.each([
    ['http://127.0.0.1:PORT/model.glb', 'loopback address 127.0.0.1'],
    ['http://10.0.0.5/model.glb', 'private address 10.0.0.5'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local address 169.254.169.254'],
    ['http://[::1]:PORT/model.glb', 'loopback address ::1'],
    ['http://0.0.0.0:PORT/model.glb', 'unspecified address 0.0.0.0'],
    ['http://[::ffff:127.0.0.1]:PORT/model.glb', 'loopback address'],
  ])('refuses %s by default', async (url, reason) => {
    const err = await new FsStaging({ dir }).fromUrl(url.replace('PORT', String(port)), 1_000_000).catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid_request' });
    expect(err.message).toContain(reason);
    expect(err.message).toContain('refused');
  });

  it('refuses a hostname that resolves to loopback (localhost)', async () => {
    const err = await new FsStaging({ dir }).fromUrl(`http://localhost:${port}/model.glb`, 1_000_000).catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid_request' });
    expect(err.message).toMatch(/url resolves to a loopback address (127\.0\.0\.1|::1); refused/);
  });

  it('refuses a name if any of its addresses is private', async () => {
    const staging = new FsStaging({ dir, resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }] });
    await expect(staging.fromUrl('http://mixed.example.test/x.glb', 1000)).rejects.toMatchObject({ message: expect.stringContaining('private address 10.1.2.3') });
  });

  it('connects to the address it vetted, not a fresh DNS answer', async () => {
    // The system resolver knows nothing of this name; only our pinned lookup can reach the server.
    const staging = open({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const f = await staging.fromUrl(`http://files.vitrine.test:${port}/model.glb`, 1_000_000);
    expect(f.sha256).toBe(sha(body));
  });

  it('refuses non-http schemes and garbage', async () => {
    for (const url of ['ftp://example.com/a.glb', 'file:///etc/passwd', 'gopher://x', 'not a url']) {
      await expect(open().fromUrl(url, 1000)).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });

  it('follows up to 3 redirects and refuses a 4th', async () => {
    const f = await open().fromUrl(`${base}/redirect?n=3`, 1_000_000);
    expect(f.sha256).toBe(sha(body));
    await expect(open().fromUrl(`${base}/redirect?n=4`, 1_000_000)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('redirected more than 3 times') });
  });

  describe('redirect hops are re-checked', () => {
    // The test server is on loopback, so trust exactly 127.0.0.1 and apply the real policy to
    // everything else: a "public" first hop that redirects inward.
    const trustTestServer = (a: string) => (a === '127.0.0.1' ? null : refusedAddressKind(a));
    it.each([
      ['http://169.254.169.254/latest/meta-data/iam', 'link-local address 169.254.169.254'],
      ['http://10.0.0.5/admin', 'private address 10.0.0.5'],
      ['http://[::1]/', 'loopback address ::1'],
    ])('refuses a redirect to %s', async (target, reason) => {
      const staging = new FsStaging({ dir, refusedKind: trustTestServer });
      const err = await staging.fromUrl(`${base}/to?target=${encodeURIComponent(target)}`, 1_000_000).catch((e) => e);
      expect(err).toMatchObject({ code: 'invalid_request' });
      expect(err.message).toContain(reason);
    });
  });

  it('caps the body while streaming and by content-length', async () => {
    await expect(open().fromUrl(`${base}/chunked`, body.length + 10)).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(open().fromUrl(`${base}/model.glb`, 100)).rejects.toMatchObject({ code: 'file_too_large', details: { max_bytes: 100 } });
    expect(await leftovers()).toEqual([]);
  });

  it('reports HTTP errors', async () => {
    await expect(open().fromUrl(`${base}/missing`, 1000)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('HTTP 404') });
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    const t0 = Date.now();
    await expect(open({ urlTimeoutMs: 300 }).fromUrl(`${base}/hang`, 1_000_000)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('timed out') });
    await expect(open({ urlTimeoutMs: 300 }).fromUrl(`${base}/slow-body`, 1_000_000)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('timed out') });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await leftovers()).toEqual([]);
  });

  it('honours the caller abort signal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(open().fromUrl(`${base}/hang`, 1000, ac.signal)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('cancelled') });
  });
});

describe('FsStaging.sweepStale', () => {
  it('removes only temp files idle longer than the limit', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-sweep-'));
    const staging = new FsStaging({ dir });
    const old = path.join(dir, 'stg-old-1.part');
    const fresh = path.join(dir, 'stg-new-2.part');
    const other = path.join(dir, 'keep.txt');
    for (const f of [old, fresh, other]) writeFileSync(f, 'x');
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    utimesSync(other, hourAgo, hourAgo);
    expect(await staging.sweepStale(30 * 60_000)).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
