/**
 * Blobs as plain files under one root directory (the default, zero-setup store). Keys are
 * slash-separated relative paths; every write goes to a temp name in the target directory and is
 * renamed into place, so a reader sees a whole file or none.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import type { BlobHandle, BlobRange, BlobStore } from '../core/ports/blob-store.js';

export interface FsBlobStoreOptions {
  root: string;
  /**
   * Directories whose files putFile may *move* instead of copy (the staging dir): a rename is
   * instant and atomic when both sides share a filesystem. Files elsewhere are always copied.
   */
  adoptFrom?: string[];
}

export class FsBlobStore implements BlobStore {
  private readonly root: string;
  private readonly adoptFrom: string[];

  constructor(opts: FsBlobStoreOptions) {
    this.root = path.resolve(opts.root);
    this.adoptFrom = (opts.adoptFrom ?? []).map((d) => path.resolve(d));
  }

  async putFile(key: string, localPath: string, _contentType: string): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const source = path.resolve(localPath);
    const { size } = await stat(source);
    if (this.mayAdopt(source)) {
      try {
        await rename(source, target);
        return { size };
      } catch (err) {
        // EXDEV: staging is on another filesystem; fall through to copy + rename.
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      }
    }
    const temp = tempNameFor(target);
    try {
      await copyFile(source, temp);
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
    return { size };
  }

  async putBuffer(key: string, data: Uint8Array, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = tempNameFor(target);
    try {
      await writeFile(temp, data, { flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
  }

  /** `size` is the whole blob's size (what a Content-Range needs), not the range length. */
  async open(key: string, range?: BlobRange): Promise<BlobHandle | null> {
    const file = this.pathOf(key);
    const size = await fileSize(file);
    if (size === null) return null;
    if (!range) return { stream: createReadStream(file), size };
    if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start || range.start >= size) {
      throw new AppError('invalid_request', `Byte range ${range.start}-${range.end} is not satisfiable for a ${size}-byte blob.`, { size });
    }
    // Like HTTP, an end past the last byte means "to the end".
    return { stream: createReadStream(file, { start: range.start, end: Math.min(range.end, size - 1) }), size };
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const size = await fileSize(this.pathOf(key));
    return size === null ? null : { size };
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /**
   * `models/<id>/` removes that directory subtree. A prefix that ends mid-name (`models/ab`)
   * removes every entry of `models/` whose name starts with `ab`, so the semantics match S3.
   */
  async deletePrefix(prefix: string): Promise<void> {
    if (prefix === '' || prefix === '/') throw new AppError('invalid_request', 'Refusing to delete every blob (empty prefix).');
    if (prefix.endsWith('/')) {
      await rm(this.pathOf(prefix.slice(0, -1)), { recursive: true, force: true });
      return;
    }
    checkKey(prefix);
    const slash = prefix.lastIndexOf('/');
    const dir = slash < 0 ? this.root : this.pathOf(prefix.slice(0, slash));
    const start = prefix.slice(slash + 1);
    const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [] as string[];
      throw err;
    });
    await Promise.all(entries.filter((n) => n.startsWith(start)).map((n) => rm(path.join(dir, n), { recursive: true, force: true })));
  }

  /** Maps a key to a path strictly inside the root, or throws `invalid_request`. */
  private pathOf(key: string): string {
    checkKey(key);
    const full = path.join(this.root, ...key.split('/'));
    // Belt and braces: checkKey already rules out escapes, this catches anything it missed.
    if (!full.startsWith(this.root + path.sep)) throw badKey(key);
    return full;
  }

  private mayAdopt(source: string): boolean {
    return this.adoptFrom.some((dir) => path.dirname(source) === dir);
  }
}

/**
 * Keys are relative, slash-separated, with no empty, `.` or `..` segment, no NUL or other control
 * characters, and no backslash (a separator on Windows). Segments may not start with `.`: that
 * namespace is reserved for our temp files, which must never be mistaken for blobs.
 */
function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw badKey(key);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw badKey(key);
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw badKey(key);
  for (const seg of key.split('/')) if (seg === '' || seg.startsWith('.')) throw badKey(key);
}

const badKey = (key: string) => new AppError('invalid_request', `Invalid blob key "${String(key).slice(0, 200).replace(/\u0000/g, '\\0')}".`);

const tempNameFor = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);

async function fileSize(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}
