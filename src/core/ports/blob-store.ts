/** Where model files, thumbnails and pending uploads live: local disk by default, S3 when scaled out. */
import type { Readable } from 'node:stream';

export interface BlobRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface BlobHandle {
  stream: Readable;
  size: number;
}

export interface BlobStore {
  /** Stores a local file under `key`, atomically: readers see all of it or nothing. */
  putFile(key: string, localPath: string, contentType: string): Promise<{ size: number }>;
  putBuffer(key: string, data: Uint8Array, contentType: string): Promise<void>;
  /** Opens a blob for reading (optionally a byte range); null when it does not exist. */
  open(key: string, range?: BlobRange): Promise<BlobHandle | null>;
  stat(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
}
