/**
 * The BlobStore contract every backend must pass (files on disk, S3-compatible buckets).
 * `make` returns a store per test; keys live under a random namespace so stores may share a
 * root or bucket. Local files come from `os.tmpdir()`, never from a store's adopt dir.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import type { BlobStore } from '../../src/core/ports/blob-store.js';

export type ClosableBlobStore = BlobStore & { close?: () => Promise<void> | void };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isAppError(e) ? e.code : String(e)));

export function describeBlobStoreContract(name: string, make: () => Promise<ClosableBlobStore>) {
  describe(`${name} blob store (contract)`, () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'vitrine-blob-contract-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    const localFile = (data: Uint8Array) => {
      const p = path.join(tmp, randomUUID());
      writeFileSync(p, data);
      return p;
    };
    const ns = () => `t${randomUUID().replace(/-/g, '')}`;

    async function withStore(fn: (s: BlobStore, base: string) => Promise<void>) {
      const store = await make();
      try {
        await fn(store, ns());
      } finally {
        await store.close?.();
      }
    }

    it('round-trips a buffer; missing keys open and stat to null', () =>
      withStore(async (s, base) => {
        const data = Buffer.from('hello blob');
        await s.putBuffer(`${base}/a/b.txt`, data, 'text/plain');
        const h = await s.open(`${base}/a/b.txt`);
        expect(h?.size).toBe(data.length);
        expect(await readAll(h!.stream)).toEqual(data);
        expect(await s.stat(`${base}/a/b.txt`)).toEqual({ size: data.length });
        expect(await s.open(`${base}/a/missing`)).toBeNull();
        expect(await s.stat(`${base}/a/missing`)).toBeNull();
      }));

    it('stores a local file (bigger than one multipart part) byte for byte and reports its size', () =>
      withStore(async (s, base) => {
        const data = randomBytes(12 * 1024 * 1024 + 12345);
        const { size } = await s.putFile(`${base}/models/m/model.glb`, localFile(data), 'model/gltf-binary');
        expect(size).toBe(data.length);
        const h = await s.open(`${base}/models/m/model.glb`);
        const back = await readAll(h!.stream);
        expect(back.length).toBe(data.length);
        expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      }));

    it('replaces a blob on a second put', () =>
      withStore(async (s, base) => {
        await s.putBuffer(`${base}/k`, Buffer.from('first version'), 'text/plain');
        await s.putFile(`${base}/k`, localFile(Buffer.from('second')), 'text/plain');
        expect((await readAll((await s.open(`${base}/k`))!.stream)).toString()).toBe('second');
        expect(await s.stat(`${base}/k`)).toEqual({ size: 6 });
      }));

    it('serves byte ranges (inclusive end, clamped to the size) with the whole size', () =>
      withStore(async (s, base) => {
        const data = Buffer.from('0123456789abcdefghij');
        await s.putBuffer(`${base}/r`, data, 'application/octet-stream');
        const read = async (start: number, end: number) => {
          const h = await s.open(`${base}/r`, { start, end });
          return { size: h!.size, text: (await readAll(h!.stream)).toString() };
        };
        expect(await read(0, 9)).toEqual({ size: 20, text: '0123456789' });
        expect(await read(5, 5)).toEqual({ size: 20, text: '5' });
        expect(await read(15, 1000)).toEqual({ size: 20, text: 'fghij' });
        expect(await codeOf(s.open(`${base}/r`, { start: 20, end: 25 }))).toBe('invalid_request');
        expect(await codeOf(s.open(`${base}/r`, { start: 5, end: 2 }))).toBe('invalid_request');
        expect(await s.open(`${base}/missing`, { start: 0, end: 1 })).toBeNull();
      }));

    it('deletes one blob, idempotently', () =>
      withStore(async (s, base) => {
        await s.putBuffer(`${base}/d`, Buffer.from('x'), 'text/plain');
        await s.delete(`${base}/d`);
        await s.delete(`${base}/d`);
        expect(await s.stat(`${base}/d`)).toBeNull();
      }));

    it('deletes by prefix: a directory prefix takes its subtree only, a partial name takes every match', () =>
      withStore(async (s, base) => {
        const keys = ['models/a/model.glb', 'models/a/thumbs/512.webp', 'models/ab/model.glb', 'models/b/model.glb', 'other/a'];
        for (const k of keys) await s.putBuffer(`${base}/${k}`, Buffer.from(k), 'text/plain');
        await s.deletePrefix(`${base}/models/a/`);
        const present = async () => {
          const out: string[] = [];
          for (const k of keys) if (await s.stat(`${base}/${k}`)) out.push(k);
          return out;
        };
        expect(await present()).toEqual(['models/ab/model.glb', 'models/b/model.glb', 'other/a']);
        await s.deletePrefix(`${base}/models/a`);
        expect(await present()).toEqual(['models/b/model.glb', 'other/a']);
        await s.deletePrefix(`${base}/nothing/here/`);
        expect(await codeOf(s.deletePrefix(''))).toBe('invalid_request');
        expect(await codeOf(s.deletePrefix('/'))).toBe('invalid_request');
      }));

    it('deletes a prefix holding more blobs than one listing page', () =>
      withStore(async (s, base) => {
        const n = 1010;
        for (let i = 0; i < n; i += 50) {
          await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => s.putBuffer(`${base}/many/${i + j}`, Buffer.from('x'), 'text/plain')));
        }
        await s.deletePrefix(`${base}/many/`);
        expect(await s.stat(`${base}/many/0`)).toBeNull();
        expect(await s.stat(`${base}/many/${n - 1}`)).toBeNull();
      }));

    it('refuses keys that could escape or collide, with invalid_request', () =>
      withStore(async (s, base) => {
        for (const bad of ['../x', `${base}/../x`, '/abs', `${base}//b`, `${base}/.hidden`, `${base}/a\\b`, `${base}/a\u0000b`, '', 'x'.repeat(1025)]) {
          expect(await codeOf(s.putBuffer(bad, Buffer.from('x'), 'text/plain')), JSON.stringify(bad)).toBe('invalid_request');
          expect(await codeOf(s.open(bad)), JSON.stringify(bad)).toBe('invalid_request');
        }
      }));
  });
}
