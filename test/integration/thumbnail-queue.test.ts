/**
 * The render queue in front of the warm pages (no browser needed): bounded capacity with
 * renderer_busy + Retry-After, FIFO order, cancellation while waiting and while running (the
 * slot stays taken until the page's work has really finished).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { RenderQueue, isCancelled } from '../../src/render/render-queue.js';
import { RenderUrlSigner } from '../../src/render/render-url-signer.js';
import { aspectFrame } from '../../src/core/thumbnails/thumbnail-sizes.js';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('RenderQueue', () => {
  it('runs `concurrency` jobs, queues `capacity` more, refuses the rest with renderer_busy + Retry-After', async () => {
    const q = new RenderQueue(1, 2);
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const jobs = gates.map((g, i) => q.run(async () => (order.push(i), g.promise.then(() => i))));
    await tick();
    expect([q.running, q.queued]).toEqual([1, 2]);
    const refused = await q.run(async () => 99).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('renderer_busy');
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    for (const g of gates) g.resolve();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
    expect([q.running, q.queued]).toEqual([0, 0]);
  });

  it('a waiting job whose signal aborts leaves the queue and never runs', async () => {
    const q = new RenderQueue(1, 4);
    const gate = deferred();
    const first = q.run(() => gate.promise);
    const ac = new AbortController();
    let ran = false;
    const second = q.run(async () => void (ran = true), ac.signal);
    await tick();
    ac.abort();
    expect(isCancelled(await second.catch((e: unknown) => e))).toBe(true);
    expect(q.queued).toBe(0);
    gate.resolve();
    await first;
    await tick();
    expect(ran).toBe(false);
  });

  it('a running job whose signal aborts rejects at once but keeps its slot until its work settles', async () => {
    const q = new RenderQueue(1, 4);
    const gate = deferred();
    const ac = new AbortController();
    const running = q.run(() => gate.promise, ac.signal);
    await tick();
    let nextStarted = false;
    const next = q.run(async () => void (nextStarted = true));
    ac.abort();
    expect(isCancelled(await running.catch((e: unknown) => e))).toBe(true);
    await tick();
    expect(nextStarted).toBe(false);
    gate.resolve();
    await next;
    expect(nextStarted).toBe(true);
  });

  it('an already aborted signal never queues', async () => {
    const q = new RenderQueue(1, 1);
    const ac = new AbortController();
    ac.abort();
    expect(isCancelled(await q.run(async () => 1, ac.signal).catch((e: unknown) => e))).toBe(true);
    expect([q.running, q.queued]).toEqual([0, 0]);
  });
});

describe('RenderUrlSigner', () => {
  it('signs a blob key for a while; forged, altered and expired tokens are refused', () => {
    let now = 1_000_000;
    const s = new RenderUrlSigner(() => now);
    const url = s.sign('models/mdl_1/model.glb', 60_000);
    const token = url.split('/').pop()!;
    expect(s.verify(token)).toBe('models/mdl_1/model.glb');
    expect(new RenderUrlSigner(() => now).verify(token)).toBeNull();
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ k: 'models/mdl_2/model.glb', e: now + 60_000 })).toString('base64url');
    expect(s.verify(`${other}.${mac}`)).toBeNull();
    // Change the first MAC character to a different one (replacing it with a fixed letter
    // would leave the token intact whenever the MAC already starts with that letter).
    const altered = (mac![0] === 'A' ? 'B' : 'A') + mac!.slice(1);
    expect(s.verify(`${payload}.${altered}`)).toBeNull();
    now += 60_000 + 300_000 + 1; // past the ttl and the rounding bucket
    expect(s.verify(token)).toBeNull();
  });
});

describe('aspectFrame', () => {
  it('long side 1024 at the layout ratio; square layouts need no second frame', () => {
    expect(aspectFrame('16:9')).toEqual({ width: 1024, height: 576 });
    expect(aspectFrame('4:3')).toEqual({ width: 1024, height: 768 });
    expect(aspectFrame('9:16')).toEqual({ width: 576, height: 1024 });
    expect(aspectFrame('3:4')).toEqual({ width: 768, height: 1024 });
    expect(aspectFrame('1:1')).toBeNull();
  });
});

describe('RenderUrlSigner URL stability', () => {
  it('gives the same URL for the same key within a bucket (the warm page keeps the model loaded)', () => {
    let now = 1_000_000;
    const s = new RenderUrlSigner(() => now);
    const a = s.sign('models/mdl_1/model.glb', 60_000);
    now += 1_000;
    expect(s.sign('models/mdl_1/model.glb', 60_000)).toBe(a);
    expect(s.sign('models/mdl_2/model.glb', 60_000)).not.toBe(a);
  });
});
