/**
 * Blobs in any S3-compatible bucket: Supabase Storage's S3 endpoint, AWS S3, R2, MinIO,
 * s3rver. Streaming multipart uploads (lib-storage), ranged GETs, batched prefix deletes,
 * and presigned GET/PUT URLs so clients can fetch or send bytes without passing through vitrine.
 *
 * S3 PUTs and multipart completions are atomic, so readers see a whole object or none — the
 * same guarantee FsBlobStore gets from rename. An interrupted multipart upload leaves only
 * invisible parts; configure the bucket to abort incomplete multipart uploads after a day.
 */
import { createReadStream } from 'node:fs';
import { stat as statFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '../core/errors.js';
import type { BlobHandle, BlobRange, BlobStore } from '../core/ports/blob-store.js';
import { checkBlobKey, checkBlobPrefix } from './blob-keys.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Custom endpoint for non-AWS stores, e.g. `https://<ref>.supabase.co/storage/v1/s3`. */
  endpoint?: string | null;
  region?: string;
  accessKeyId?: string | null;
  secretAccessKey?: string | null;
  /** Path-style URLs (`endpoint/bucket/key`): what Supabase, MinIO and s3rver expect. */
  forcePathStyle?: boolean;
  /** Prepended to every key, so several deployments (or tests) can share one bucket. */
  keyPrefix?: string;
  /** Multipart part size; S3's minimum is 5 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per file. */
  queueSize?: number;
}

/** One listed object, for housekeeping (see the blob reaper). */
export interface ListedBlob {
  key: string;
  size: number;
  lastModified: Date | null;
}

const MiB = 1024 * 1024;

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(opts: S3BlobStoreOptions) {
    this.bucket = opts.bucket;
    this.keyPrefix = opts.keyPrefix ? opts.keyPrefix.replace(/\/*$/, '/') : '';
    this.partSize = Math.max(5 * MiB, opts.partSizeBytes ?? 8 * MiB);
    this.queueSize = opts.queueSize ?? 4;
    const config: S3ClientConfig = {
      region: opts.region ?? 'us-east-1',
      forcePathStyle: opts.forcePathStyle ?? true,
      // Recent SDKs add CRC32 checksums to every request by default; several S3-compatible
      // stores reject or mishandle them. Only send checksums where the S3 API requires one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.accessKeyId && opts.secretAccessKey ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } } : {}),
    };
    this.client = new S3Client(config);
  }

  async putFile(key: string, localPath: string, contentType: string): Promise<{ size: number }> {
    const Key = this.objectKey(key);
    const { size } = await statFile(localPath);
    // Streams from disk; files under one part go up as a single PutObject, bigger ones as a
    // multipart upload that lib-storage aborts on failure.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: createReadStream(localPath), ContentType: contentType, ContentLength: size },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    await upload.done();
    return { size };
  }

  async putBuffer(key: string, data: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: data, ContentType: contentType, ContentLength: data.byteLength }));
  }

  /** `size` is the whole blob's size (what a Content-Range needs), not the range length. */
  async open(key: string, range?: BlobRange): Promise<BlobHandle | null> {
    const Key = this.objectKey(key);
    if (range && (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start)) {
      const size = (await this.stat(key))?.size;
      if (size === undefined) return null;
      throw unsatisfiable(range, size);
    }
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
      const total = range ? totalFromContentRange(res.ContentRange) : res.ContentLength;
      if (total === undefined || total === null) throw new Error(`S3 GetObject for ${key} returned no size`);
      return { stream: res.Body as Readable, size: total };
    } catch (err) {
      if (isNotFound(err)) return null;
      if (range && httpStatus(err) === 416) {
        // Like HTTP (and FsBlobStore): a start at or past the end is not satisfiable.
        const size = (await this.stat(key))?.size;
        if (size === undefined) return null;
        throw unsatisfiable(range, size);
      }
      throw err;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: res.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 deletes are idempotent: a missing key is not an error.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /** Same semantics as FsBlobStore: `models/<id>/` removes that subtree, `models/ab` every key starting so. */
  async deletePrefix(prefix: string): Promise<void> {
    checkBlobPrefix(prefix);
    const full = this.keyPrefix + prefix;
    // List the first page, delete it (DeleteObjects takes at most 1000 keys, one page), list
    // again: no continuation tokens, which some S3-compatible servers handle poorly.
    let previousFirst: string | undefined;
    for (;;) {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, MaxKeys: 1000 }));
      const keys = (res.Contents ?? []).map((o) => o.Key).filter((k): k is string => k !== undefined);
      if (keys.length === 0) return;
      if (keys[0] === previousFirst) throw new Error(`S3 still lists ${keys[0]} after deleting it`);
      previousFirst = keys[0];
      const del = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      const failed = (del.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`S3 DeleteObjects failed for ${failed.length} key(s), first: ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message}`);
    }
  }

  /** Every blob under `prefix` (keys relative to this store), oldest listing order = S3's (lexicographic). */
  async *list(prefix: string): AsyncIterable<ListedBlob> {
    for await (const page of this.pages(prefix)) yield* page;
  }

  /** The distinct next path segments under `prefix` (e.g. model ids under `models/`). */
  async *listChildren(prefix: string): AsyncIterable<string> {
    const full = this.keyPrefix + prefix;
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, Delimiter: '/', ContinuationToken: token }));
      for (const p of res.CommonPrefixes ?? []) if (p.Prefix) yield p.Prefix.slice(full.length).replace(/\/$/, '');
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  /** A time-limited URL anyone can GET the blob from (public assets served straight from the bucket). */
  async presignGet(key: string, expiresInSeconds = 3600, opts: { contentDisposition?: string } = {}): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), ...(opts.contentDisposition ? { ResponseContentDisposition: opts.contentDisposition } : {}) }),
      { expiresIn: expiresInSeconds },
    );
  }

  /** A time-limited URL a client can PUT the bytes of `key` to (the direct-upload flow, bypassing vitrine). */
  async presignPut(key: string, contentType: string, expiresInSeconds = 3600): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), ContentType: contentType }), {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type']),
    });
  }

  /** Checks the bucket is reachable with these credentials (for /readyz and start-up). */
  async ping(): Promise<void> {
    await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix, MaxKeys: 1 }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async *pages(prefix: string): AsyncIterable<ListedBlob[]> {
    const full = this.keyPrefix + prefix;
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, ContinuationToken: token }));
      yield (res.Contents ?? [])
        .filter((o) => o.Key !== undefined)
        .map((o) => ({ key: o.Key!.slice(this.keyPrefix.length), size: o.Size ?? 0, lastModified: o.LastModified ?? null }));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  private objectKey(key: string): string {
    checkBlobKey(key);
    return this.keyPrefix + key;
  }
}

const unsatisfiable = (range: BlobRange, size: number) =>
  new AppError('invalid_request', `Byte range ${range.start}-${range.end} is not satisfiable for a ${size}-byte blob.`, { size });

function totalFromContentRange(value: string | undefined): number | undefined {
  const m = value ? /\/(\d+)\s*$/.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}

const httpStatus = (err: unknown): number | undefined => (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(err) === 404;
}
