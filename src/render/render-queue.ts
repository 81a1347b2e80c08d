/**
 * A bounded FIFO in front of a fixed number of render slots (one per warm page).
 *
 * - At most `concurrency` tasks run; at most `capacity` more wait. Anything beyond that is
 *   refused at once with `renderer_busy` and a Retry-After estimated from recent render times.
 * - A waiting task whose signal aborts leaves the queue without ever running.
 * - A running task whose signal aborts rejects its caller at once, but its slot stays taken
 *   until the underlying work has really settled (the page is still busy until then).
 */
import { AppError } from '../core/errors.js';

export type SlotTask<T> = (slot: number) => Promise<T>;

interface Waiting {
  start: (slot: number) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function cancelledError(): AppError {
  return new AppError('render_failed', 'The render was cancelled.', { cancelled: true });
}

export const isCancelled = (err: unknown): boolean =>
  err instanceof AppError && err.code === 'render_failed' && err.details?.cancelled === true;

export class RenderQueue {
  private readonly free: number[];
  private readonly waiting: Waiting[] = [];
  private readonly recentMs: number[] = [];

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
  ) {
    this.free = Array.from({ length: Math.max(1, concurrency) }, (_, i) => i);
  }

  get running(): number {
    return Math.max(1, this.concurrency) - this.free.length;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Median of recent render durations, or a conservative guess before any was measured. */
  typicalMs(): number {
    if (this.recentMs.length === 0) return 2_000;
    const sorted = [...this.recentMs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  /** Seconds until a new job would probably get a slot. */
  retryAfterSeconds(): number {
    const ahead = this.running + this.waiting.length;
    return Math.max(1, Math.ceil((ahead * this.typicalMs()) / Math.max(1, this.concurrency) / 1000));
  }

  run<T>(task: SlotTask<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    if (this.free.length === 0 && this.waiting.length >= this.capacity) {
      const retry = this.retryAfterSeconds();
      return Promise.reject(
        new AppError(
          'renderer_busy',
          `The thumbnail renderer is busy (${this.running} rendering, ${this.waiting.length} waiting). Retry in about ${retry} s.`,
          { running: this.running, queued: this.waiting.length },
          retry,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const start = (slot: number) => this.execute(slot, task, signal).then(resolve, reject);
      if (this.free.length > 0) {
        start(this.free.shift()!);
        return;
      }
      const entry: Waiting = { start, reject, signal };
      if (signal) {
        entry.onAbort = () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(cancelledError());
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
    });
  }

  /** Rejects everything still waiting (shutdown). */
  drain(err: unknown): void {
    for (const w of this.waiting.splice(0)) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(err);
    }
  }

  private execute<T>(slot: number, task: SlotTask<T>, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    const work = (async () => task(slot))();
    // The slot is released when the work settles, not when the caller gives up.
    void work.then(
      () => this.release(slot, Date.now() - started),
      () => this.release(slot, null),
    );
    if (!signal) return work;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelledError());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private release(slot: number, ms: number | null): void {
    if (ms !== null) {
      this.recentMs.push(ms);
      if (this.recentMs.length > 20) this.recentMs.shift();
    }
    const next = this.waiting.shift();
    if (next) {
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      next.start(slot);
    } else {
      this.free.push(slot);
    }
  }
}
