/**
 * The blob store contract on FsBlobStore and on S3BlobStore against a real S3 server process
 * (s3rver, in-process, loopback), plus the S3-only extras: presigned GET/PUT and key prefixes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { S3BlobStore } from '../../src/blobs/s3-blob-store.js';
import { describeBlobStoreContract } from '../contract/blob-store.contract.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';

const fsRoot = mkdtempSync(path.join(os.tmpdir(), 'vitrine-fs-blobs-'));
afterAll(() => rmSync(fsRoot, { recursive: true, force: true }));
describeBlobStoreContract('fs', async () => new FsBlobStore({ root: fsRoot }));

let s3: TestS3;
let strict: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
  strict = await startTestS3('vitrine-strict', { strictSignatures: true });
});
afterAll(async () => {
  await s3?.close();
  await strict?.close();
});

const s3Store = (keyPrefix?: string, server = s3) =>
  new S3BlobStore({
    bucket: server.bucket,
    endpoint: server.endpoint,
    region: server.region,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
    keyPrefix,
  });

describeBlobStoreContract('s3 (s3rver)', async () => s3Store());

describe('S3BlobStore extras', () => {
  it('presigns a GET anyone can use, and a PUT a client can send bytes to (signatures checked)', async () => {
    const store = s3Store(undefined, strict);
    try {
      await store.putBuffer('pub/asset.txt', Buffer.from('public bytes'), 'text/plain');
      const get = await store.presignGet('pub/asset.txt', 60);
      const res = await fetch(get);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('public bytes');

      const put = await store.presignPut('uploads/direct.glb', 'model/gltf-binary', 60);
      const up = await fetch(put, { method: 'PUT', body: Buffer.from('glTF direct'), headers: { 'content-type': 'model/gltf-binary' } });
      expect(up.status).toBe(200);
      expect(await store.stat('uploads/direct.glb')).toEqual({ size: 11 });
      // A tampered signature is refused.
      const bad = new URL(get);
      bad.searchParams.set('X-Amz-Signature', '0'.repeat(64));
      expect((await fetch(bad)).status).toBe(403);
    } finally {
      await store.close();
    }
  });

  it('keeps a key prefix invisible to callers and lists children', async () => {
    const a = s3Store('deploy-a');
    const b = s3Store('deploy-b');
    try {
      await a.putBuffer('models/m1/model.glb', Buffer.from('a'), 'model/gltf-binary');
      await a.putBuffer('models/m2/model.glb', Buffer.from('a'), 'model/gltf-binary');
      await b.putBuffer('models/m1/model.glb', Buffer.from('bb'), 'model/gltf-binary');
      expect(await a.stat('models/m1/model.glb')).toEqual({ size: 1 });
      expect(await b.stat('models/m1/model.glb')).toEqual({ size: 2 });
      const children: string[] = [];
      for await (const c of a.listChildren('models/')) children.push(c);
      expect(children.sort()).toEqual(['m1', 'm2']);
      await a.deletePrefix('models/');
      expect(await b.stat('models/m1/model.glb')).toEqual({ size: 2 });
      await a.ping();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
