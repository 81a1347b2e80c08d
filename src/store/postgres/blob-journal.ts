/**
 * Keeps "a model row ⇔ its files" true across N instances that can die at any moment.
 *
 * The core stores a model's file first and inserts its row second, so an instance killed in
 * between leaves a file nobody points at. A reaper must delete such files — but must never
 * delete the file of an upload that is merely between those two steps on a live instance.
 *
 * 1. Before any blob under `models/<id>/` is written, the instance records an intent
 *    (model id, its instance id). Instances heartbeat into `instances`.
 * 2. Inserting the model row deletes the intent (trigger `models_claim_blob_intent`).
 * 3. The reaper lists model ids in the blob store. An id with no row is reaped when it has no
 *    intent, or its intent's instance stopped heartbeating, or the intent is very old: one
 *    statement turns the intent into a tombstone, then the files are deleted.
 * 4. The insert trigger refuses a row whose intent is a tombstone. So even an instance that
 *    stalls past the heartbeat timeout and wakes up later cannot create a row whose file was
 *    reaped: its insert fails, and the core deletes what it wrote.
 *
 * Everything is ordinary statements (no session advisory locks), so it works through a
 * transaction pooler, and uses the database clock, so instance clock skew does not matter.
 */
import { randomBytes } from 'node:crypto';
import type { BlobHandle, BlobRange, BlobStore } from '../../core/ports/blob-store.js';
import { type PgPool, quoteSchema } from './pool.js';

export interface BlobJournalOptions {
  /** How often this instance proves it is alive. */
  heartbeatMs?: number;
  /** An instance silent this long is dead: its unfinished uploads may be reaped. */
  deadAfterMs?: number;
  /** An intent this old is reapable even if its instance still heartbeats (a lost request). */
  staleIntentMs?: number;
}

/** Lists the next path segment under a prefix (model ids under `models/`). */
export type ChildLister = (prefix: string) => AsyncIterable<string>;

const MODEL_KEY = /^models\/([^/]+)\//;

export class BlobJournal {
  readonly instanceId = `inst_${randomBytes(8).toString('hex')}`;
  private readonly s: string;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly staleIntentMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: PgPool,
    schema = 'vitrine',
    opts: BlobJournalOptions = {},
  ) {
    this.s = quoteSchema(schema);
    this.heartbeatMs = opts.heartbeatMs ?? 5_000;
    this.deadAfterMs = opts.deadAfterMs ?? 20_000;
    this.staleIntentMs = opts.staleIntentMs ?? 3_600_000;
    if (this.deadAfterMs < 3 * this.heartbeatMs) throw new Error('BlobJournal: deadAfterMs must be at least 3 heartbeats');
  }

  /** Registers this instance and starts heartbeating. */
  async start(): Promise<void> {
    await this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat().catch(() => {}), this.heartbeatMs);
    this.timer.unref();
  }

  /** Stops heartbeating and deregisters: this instance's intents become reapable at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pool.query(`DELETE FROM ${this.s}.instances WHERE id = $1`, [this.instanceId]).catch(() => {});
  }

  private async heartbeat(): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.instances (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.instanceId],
    );
  }

  /** Records that this instance is about to write blobs for `modelId` (a no-op on a tombstone). */
  async recordIntent(modelId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.blob_intents (model_id, instance_id) VALUES ($1, $2)
       ON CONFLICT (model_id) DO UPDATE SET instance_id = EXCLUDED.instance_id, created_at = now()
       WHERE ${this.s}.blob_intents.reaped_at IS NULL`,
      [modelId, this.instanceId],
    );
  }

  /** The blob store to hand to the core: same store, with intents recorded before model writes. */
  wrap(inner: BlobStore): BlobStore {
    return new JournaledBlobStore(inner, this);
  }

  /**
   * One reaper pass: deletes the files of every model id that has files but no row and no live
   * upload in flight. Safe on many instances at once. Returns the ids reaped.
   */
  async reap(listChildren: ChildLister, blobs: BlobStore): Promise<string[]> {
    const s = this.s;
    const reaped: string[] = [];
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM ${s}.models WHERE id = ANY($1::text[])`, [batch]);
      const existing = new Set(rows.map((r) => r.id));
      for (const id of batch) {
        if (existing.has(id)) continue;
        // Tombstone unless a live instance is mid-upload; a fresh tombstone for an id with no
        // intent at all. Re-checks the row inside the statement.
        await this.pool.query(
          `INSERT INTO ${s}.blob_intents AS i (model_id, instance_id, reaped_at)
             SELECT $1, 'reaper', now() WHERE NOT EXISTS (SELECT 1 FROM ${s}.models m WHERE m.id = $1)
           ON CONFLICT (model_id) DO UPDATE SET reaped_at = now()
             WHERE i.reaped_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM ${s}.models m WHERE m.id = $1)
               AND (i.created_at < now() - $2::bigint * interval '1 millisecond'
                    OR NOT EXISTS (SELECT 1 FROM ${s}.instances n WHERE n.id = i.instance_id AND n.heartbeat_at > now() - $3::bigint * interval '1 millisecond'))`,
          [id, this.staleIntentMs, this.deadAfterMs],
        );
        // A tombstone (ours or an earlier pass's) means the row can never be inserted: the
        // files are garbage whoever deletes them, and deleting twice is harmless.
        const tomb = await this.pool.query(
          `SELECT 1 FROM ${s}.blob_intents i WHERE i.model_id = $1 AND i.reaped_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${s}.models m WHERE m.id = $1)`,
          [id],
        );
        if (tomb.rowCount === 0) continue;
        await blobs.deletePrefix(`models/${id}/`);
        reaped.push(id);
      }
      batch = [];
    };
    for await (const id of listChildren('models/')) {
      batch.push(id);
      if (batch.length >= 500) await flush();
    }
    await flush();
    // Housekeeping: intents of rows that exist (thumbnail writes), old tombstones, dead instances.
    await this.pool.query(`DELETE FROM ${s}.blob_intents i WHERE i.reaped_at IS NULL AND EXISTS (SELECT 1 FROM ${s}.models m WHERE m.id = i.model_id)`);
    await this.pool.query(`DELETE FROM ${s}.blob_intents WHERE reaped_at < now() - interval '7 days'`);
    await this.pool.query(`DELETE FROM ${s}.instances WHERE heartbeat_at < now() - interval '1 day'`);
    return reaped;
  }
}

/** Delegates everything; model writes are preceded by an intent in the shared database. */
class JournaledBlobStore implements BlobStore {
  constructor(
    private readonly inner: BlobStore,
    private readonly journal: BlobJournal,
  ) {}

  private async intentFor(key: string): Promise<void> {
    const m = MODEL_KEY.exec(key);
    if (m) await this.journal.recordIntent(m[1]!);
  }

  async putFile(key: string, localPath: string, contentType: string): Promise<{ size: number }> {
    await this.intentFor(key);
    return this.inner.putFile(key, localPath, contentType);
  }

  async putBuffer(key: string, data: Uint8Array, contentType: string): Promise<void> {
    await this.intentFor(key);
    return this.inner.putBuffer(key, data, contentType);
  }

  open(key: string, range?: BlobRange): Promise<BlobHandle | null> {
    return this.inner.open(key, range);
  }

  stat(key: string): Promise<{ size: number } | null> {
    return this.inner.stat(key);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.inner.deletePrefix(prefix);
  }
}
