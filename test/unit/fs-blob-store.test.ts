import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { AppError } from '../../src/core/errors.js';

const readAll = async (s: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
};

describe('FsBlobStore', () => {
  let tmp: string;
  let root: string;
  let stagingDir: string;
  let store: FsBlobStore;

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-blobs-'));
    root = path.join(tmp, 'blobs');
    stagingDir = path.join(tmp, 'staging');
    await mkdir(stagingDir);
    store = new FsBlobStore({ root, adoptFrom: [stagingDir] });
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('round-trips a buffer and reports its size', async () => {
    await store.putBuffer('models/m1/thumb-512.webp', Buffer.from('hello world'), 'image/webp');
    expect(await store.stat('models/m1/thumb-512.webp')).toEqual({ size: 11 });
    const h = await store.open('models/m1/thumb-512.webp');
    expect(h!.size).toBe(11);
    expect(await readAll(h!.stream)).toBe('hello world');
  });

  it('returns null for missing blobs', async () => {
    expect(await store.open('models/nope/model.glb')).toBeNull();
    expect(await store.stat('models/nope/model.glb')).toBeNull();
    // A directory is not a blob.
    await store.putBuffer('models/m1/a.bin', Buffer.from('x'), 'application/octet-stream');
    expect(await store.stat('models/m1')).toBeNull();
  });

  it('reads inclusive byte ranges; size stays the whole blob', async () => {
    await store.putBuffer('b', Buffer.from('0123456789'), 'text/plain');
    const h = await store.open('b', { start: 2, end: 5 });
    expect(h!.size).toBe(10);
    expect(await readAll(h!.stream)).toBe('2345');
    expect(await readAll((await store.open('b', { start: 9, end: 9 }))!.stream)).toBe('9');
    // An end past the last byte means "to the end", as in HTTP.
    expect(await readAll((await store.open('b', { start: 7, end: 100 }))!.stream)).toBe('789');
    await expect(store.open('b', { start: 10, end: 12 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.open('b', { start: 5, end: 4 })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('moves files out of the staging dir with a rename (source gone, no copy)', async () => {
    const src = path.join(stagingDir, 'stg-1.part');
    await writeFile(src, 'glb bytes');
    const inode = (await stat(src)).ino;
    expect(await store.putFile('models/m1/model.glb', src, 'model/gltf-binary')).toEqual({ size: 9 });
    await expect(stat(src)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(path.join(root, 'models/m1/model.glb'))).ino).toBe(inode);
  });

  it('copies files from anywhere else and leaves the source alone', async () => {
    const src = path.join(tmp, 'elsewhere.glb');
    await writeFile(src, 'other bytes');
    await store.putFile('models/m2/model.glb', src, 'model/gltf-binary');
    expect(await readFile(src, 'utf8')).toBe('other bytes');
    expect(await readFile(path.join(root, 'models/m2/model.glb'), 'utf8')).toBe('other bytes');
    // No temp files left next to the blob.
    expect(await readdir(path.join(root, 'models/m2'))).toEqual(['model.glb']);
  });

  it('replaces an existing blob whole', async () => {
    await store.putBuffer('k', Buffer.from('old old old'), 'text/plain');
    await store.putBuffer('k', Buffer.from('new'), 'text/plain');
    expect(await readAll((await store.open('k'))!.stream)).toBe('new');
    expect(await readdir(root)).toEqual(['k']);
  });

  it('deletes idempotently', async () => {
    await store.putBuffer('uploads/u1.glb', Buffer.from('x'), 'application/octet-stream');
    await store.delete('uploads/u1.glb');
    await store.delete('uploads/u1.glb');
    await store.delete('never/existed');
    expect(await store.stat('uploads/u1.glb')).toBeNull();
  });

  it('deletePrefix removes a model directory subtree and nothing else', async () => {
    await store.putBuffer('models/a/model.glb', Buffer.from('1'), 'x');
    await store.putBuffer('models/a/thumbs/512.webp', Buffer.from('2'), 'x');
    await store.putBuffer('models/ab/model.glb', Buffer.from('3'), 'x');
    await store.deletePrefix('models/a/');
    expect(await store.stat('models/a/model.glb')).toBeNull();
    expect(await store.stat('models/a/thumbs/512.webp')).toBeNull();
    expect(await store.stat('models/ab/model.glb')).toEqual({ size: 1 });
    await store.deletePrefix('models/a/'); // again: no error
    await store.deletePrefix('models/zzz/');
  });

  it('deletePrefix without a trailing slash matches names like S3 does', async () => {
    await store.putBuffer('models/ab/model.glb', Buffer.from('1'), 'x');
    await store.putBuffer('models/abc/model.glb', Buffer.from('2'), 'x');
    await store.putBuffer('models/b/model.glb', Buffer.from('3'), 'x');
    await store.deletePrefix('models/ab');
    expect(await readdir(path.join(root, 'models'))).toEqual(['b']);
    await expect(store.deletePrefix('')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it.each([
    ['../escape'],
    ['models/../../etc/passwd'],
    ['/etc/passwd'],
    ['models/a\u0000b'],
    ['models\\..\\x'],
    ['models//double'],
    ['models/./x'],
    ['models/.hidden'],
    ['C:/windows'],
    [''],
  ])('rejects the unsafe key %j with invalid_request', async (key) => {
    for (const attempt of [
      () => store.putBuffer(key, Buffer.from('x'), 'x'),
      () => store.open(key),
      () => store.stat(key),
      () => store.delete(key),
    ]) {
      const err = await attempt().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_request');
    }
    await expect(store.deletePrefix(`${key}/`)).rejects.toMatchObject({ code: 'invalid_request' });
    // Nothing was written outside the root.
    expect(await readdir(tmp)).toEqual(['staging']);
  });
});
