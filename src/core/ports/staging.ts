/**
 * Upload bytes are staged in a local temp file before any check, so a GLB is never held whole in
 * memory and a failed upload leaves nothing behind. Every source is capped while it streams.
 */
import type { Readable } from 'node:stream';

export interface StagedFile {
  path: string;
  size: number;
  /** SHA-256 hex of the bytes, computed while they streamed in. */
  sha256: string;
  /** Removes the temp file; safe to call twice. */
  release(): Promise<void>;
}

/** The ways bytes reach the core. Adapters (multipart, MCP) build one of these. */
export type ByteSource =
  | { kind: 'stream'; stream: Readable; declaredSize?: number | null }
  | { kind: 'staged'; file: StagedFile }
  | { kind: 'url'; url: string }
  | { kind: 'base64'; data: string }
  | { kind: 'local_path'; path: string }
  | { kind: 'upload'; uploadId: string };

export interface Staging {
  fromStream(stream: Readable, maxBytes: number): Promise<StagedFile>;
  /** Fetches http(s) only; refuses private, loopback and link-local targets unless configured. */
  fromUrl(url: string, maxBytes: number, signal?: AbortSignal): Promise<StagedFile>;
  fromBase64(data: string, maxBytes: number): Promise<StagedFile>;
  /** Copies a file from the local machine (stdio agents only). */
  fromLocalPath(path: string, maxBytes: number): Promise<StagedFile>;
  /** Deletes temp files left by a process that died mid-upload (idle longer than maxIdleMs). */
  sweepStale(maxIdleMs: number): Promise<number>;
}
