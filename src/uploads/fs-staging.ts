/**
 * Staging on local disk: every byte source becomes a temp file (capped, hashed) before anything
 * inspects it. Temp files live in one directory so FsBlobStore can adopt them with a rename.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';
import type { StagedFile, Staging } from '../core/ports/staging.js';
import { copyCapped, tooLarge, type CopyResult } from './capped-copy.js';
import { fetchUrlToFile, type UrlFetchOptions } from './url-fetch.js';

export interface FsStagingOptions {
  /** Directory for temp files; created on first use. Put it on the blob store's filesystem. */
  dir: string;
  /** Lets `fromUrl` reach private, loopback and link-local addresses (trusted networks, tests). */
  allowPrivateUrls?: boolean;
  /** Total time for a URL fetch including redirects and the body. */
  urlTimeoutMs?: number;
  maxRedirects?: number;
  /** Test seams for `fromUrl`: DNS and the address check. */
  resolve?: UrlFetchOptions['resolve'];
  refusedKind?: UrlFetchOptions['refusedKind'];
}

const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URI_PREFIX = /^data:[^,;]*(;[^,;]*)*;base64,/i;

export class FsStaging implements Staging {
  private ready: Promise<void> | null = null;

  constructor(private readonly opts: FsStagingOptions) {}

  get dir(): string {
    return this.opts.dir;
  }

  async fromStream(stream: Readable, maxBytes: number): Promise<StagedFile> {
    return this.stage((dest) => copyCapped(stream, dest, maxBytes, 'drain'));
  }

  async fromUrl(url: string, maxBytes: number, signal?: AbortSignal): Promise<StagedFile> {
    return this.stage((dest) =>
      fetchUrlToFile(url, dest, maxBytes, {
        allowPrivate: this.opts.allowPrivateUrls ?? false,
        timeoutMs: this.opts.urlTimeoutMs ?? 30_000,
        maxRedirects: this.opts.maxRedirects ?? 3,
        resolve: this.opts.resolve,
        refusedKind: this.opts.refusedKind,
        signal,
      }),
    );
  }

  async fromBase64(data: string, maxBytes: number): Promise<StagedFile> {
    // Buffer.from(…, 'base64') silently skips junk, which would turn a typo into a corrupt GLB
    // with a confusing error later; validate strictly first. Line breaks and a data: prefix are
    // tolerated because that is how base64 is commonly pasted.
    const body = data.replace(DATA_URI_PREFIX, '').replace(/\s+/g, '');
    if (body.length === 0) throw new AppError('invalid_request', 'content_base64 is empty.');
    if (body.length % 4 !== 0 || !BASE64_BODY.test(body)) {
      throw new AppError('invalid_request', 'content_base64 is not valid base64 (standard alphabet A–Z a–z 0–9 + /, padded with =).');
    }
    const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
    if ((body.length / 4) * 3 - padding > maxBytes) throw tooLarge(maxBytes);
    const bytes = Buffer.from(body, 'base64');
    return this.stage(async (dest) => {
      await writeFile(dest, bytes, { flag: 'wx', mode: 0o600 }).catch(async (err) => {
        await unlink(dest).catch(() => {});
        throw err;
      });
      return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
  }

  async fromLocalPath(filePath: string, maxBytes: number): Promise<StagedFile> {
    // The path comes from an agent on this machine; a relative one would be resolved against the
    // server's cwd, which is rarely what the agent meant.
    if (!path.isAbsolute(filePath)) throw new AppError('invalid_request', `file_path must be absolute, got "${filePath}".`);
    let info;
    try {
      info = await stat(filePath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AppError('invalid_request', code === 'ENOENT' ? `file_path ${filePath} does not exist.` : `file_path ${filePath} cannot be read (${code}).`);
    }
    if (!info.isFile()) throw new AppError('invalid_request', `file_path ${filePath} is not a regular file.`);
    if (info.size > maxBytes) throw tooLarge(maxBytes);
    // Still capped while copying: the file may grow between stat and read.
    return this.stage((dest) => copyCapped(createReadStream(filePath), dest, maxBytes, 'destroy'));
  }

  /**
   * Removes temp files nothing has written to for `maxIdleMs`: leftovers of a process that died
   * mid-upload. A live upload keeps touching its file, so it is never taken.
   */
  async sweepStale(maxIdleMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    const names = await readdir(this.opts.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith('stg-') || !name.endsWith('.part')) continue;
      const file = path.join(this.opts.dir, name);
      const info = await stat(file).catch(() => null);
      if (info && now - info.mtimeMs > maxIdleMs && (await unlink(file).then(() => true, () => false))) removed++;
    }
    return removed;
  }

  private async stage(fill: (dest: string) => Promise<CopyResult>): Promise<StagedFile> {
    await (this.ready ??= mkdir(this.opts.dir, { recursive: true }).then(
      () => undefined,
      (err) => {
        this.ready = null; // retry next time (e.g. the volume was not mounted yet)
        throw err;
      },
    ));
    const dest = path.join(this.opts.dir, `stg-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`);
    // fill() removes its own partial file on failure.
    const { size, sha256 } = await fill(dest);
    let released: Promise<void> | null = null;
    return {
      path: dest,
      size,
      sha256,
      // The blob store may have renamed the file into place already; a missing file is fine.
      release: () =>
        (released ??= unlink(dest).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        })),
    };
  }
}
