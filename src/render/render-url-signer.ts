/**
 * Short-lived signed URLs through which the headless browser fetches a model's GLB, so private
 * (unpublished) models can be rendered without becoming public. A token names one blob key and
 * an expiry, HMAC-SHA256-signed with a random per-process secret: only this process mints them,
 * and only this process's browser ever receives them (over loopback).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const RENDER_GLB_ROUTE = '/_render/glb';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class RenderUrlSigner {
  private readonly secret: Buffer;

  constructor(
    private readonly now: () => number = Date.now,
    secret?: Buffer,
  ) {
    this.secret = secret ?? randomBytes(32);
  }

  /**
   * A path (`/_render/glb/<token>`) valid for at least `ttlMs`. The expiry is rounded up to a
   * `bucketMs` boundary so the same key gets the same URL for a while: the warm page keeps a
   * model loaded while its URL stays the same, so back-to-back previews of one model skip the
   * download and parse. (Model files never change under their key.)
   */
  sign(key: string, ttlMs: number, bucketMs = 300_000): string {
    const exp = Math.ceil((this.now() + ttlMs) / bucketMs) * bucketMs;
    const payload = b64url(JSON.stringify({ k: key, e: exp }));
    return `${RENDER_GLB_ROUTE}/${payload}.${this.mac(payload)}`;
  }

  /** The blob key of a valid, unexpired token; null otherwise. */
  verify(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const { k, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k?: unknown; e?: unknown };
      if (typeof k !== 'string' || typeof e !== 'number' || e < this.now()) return null;
      return k;
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
