/**
 * Repository ports. Every method is async (the Postgres backend fits behind the same interface)
 * and every write is one atomic statement or transaction — never held across an await.
 * Owner-scoped reads take the owner id: another owner's row is simply not found.
 */
import type { Account, Credential, CredentialKind, Feedback, Layout, Look, Model, Page, PendingUpload, Plan } from '../types.js';

export interface AccountRepository {
  insert(account: Account): Promise<void>;
  findById(id: string): Promise<Account | null>;
  findByExternalId(externalId: string): Promise<Account | null>;
  /** Inserts the account for a JWT subject unless one exists; returns the stored row either way. */
  upsertByExternalId(account: Account): Promise<Account>;
  update(id: string, fields: Partial<Pick<Account, 'email' | 'plan' | 'expires_at' | 'external_id'>>): Promise<Account | null>;
  /** Anonymous accounts whose expiry has passed, oldest first. */
  listExpired(now: string, limit: number): Promise<Account[]>;
  /**
   * Deletes the account and, in the same transaction, every row it owns. Returns the ids of the
   * models and the blob keys of the pending uploads deleted (so their files can go too), or null
   * if another caller got there first.
   */
  deleteCascade(id: string): Promise<{ modelIds: string[]; uploadKeys: string[] } | null>;
  count(): Promise<number>;
}

export interface CredentialRepository {
  insert(credential: Credential): Promise<void>;
  findByHash(hash: string): Promise<Credential | null>;
  /**
   * The credential with its account, read in one query (the per-request bearer check). Null when
   * the hash is unknown; `account` is null when the credential's account row is gone.
   */
  findByHashWithAccount(hash: string): Promise<{ credential: Credential; account: Account | null } | null>;
  listByAccount(accountId: string, kind: CredentialKind): Promise<Credential[]>;
  /** Marks revoked; returns false when the id is unknown, already revoked or owned by someone else. */
  revoke(accountId: string, id: string, now: string): Promise<boolean>;
  touch(id: string, now: string): Promise<void>;
}

export interface ModelQuota {
  maxModels: number;
  maxTotalBytes: number;
}

export type QuotaInsertResult = { ok: true } | { ok: false; limit: 'models' | 'storage' };

export interface ModelRepository {
  /** Inserts only if the owner stays within the quota, checked in the same atomic statement. */
  insertWithinQuota(model: Model, quota: ModelQuota): Promise<QuotaInsertResult>;
  findOwned(ownerId: string, id: string): Promise<Model | null>;
  /** Unscoped lookup, for public (published) access only. */
  findById(id: string): Promise<Model | null>;
  list(ownerId: string, opts: { limit: number; cursor: string | null }): Promise<Page<Model>>;
  listIdsByOwner(ownerId: string): Promise<string[]>;
  /** The owner's models that use a look (their merged config changes with it). */
  listByLook(ownerId: string, lookId: string): Promise<Model[]>;
  update(
    ownerId: string,
    id: string,
    fields: Partial<Pick<Model, 'name' | 'published' | 'look_id' | 'layout_id' | 'overrides' | 'thumbnail'>>,
    now: string,
  ): Promise<Model | null>;
  /**
   * Applies a sparse config patch to the stored overrides in ONE atomic statement (values set,
   * `null` removes), so concurrent patches of different fields never lose each other.
   * The patch must already be canonical (no aliases).
   */
  patchOverrides(ownerId: string, id: string, patch: Record<string, unknown>, now: string): Promise<Model | null>;
  delete(ownerId: string, id: string): Promise<Model | null>;
  usage(ownerId: string): Promise<{ models: number; bytes: number }>;
  /** Moves every model of one owner to another (claiming an anonymous session); returns the count. */
  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number>;
}

export interface LookRepository {
  insert(look: Look): Promise<void>;
  findOwned(ownerId: string, id: string): Promise<Look | null>;
  findById(id: string): Promise<Look | null>;
  list(ownerId: string): Promise<Look[]>;
  update(ownerId: string, id: string, fields: Partial<Pick<Look, 'name' | 'config'>>, now: string): Promise<Look | null>;
  /** Deletes the look and detaches it from the owner's models in one transaction. */
  delete(ownerId: string, id: string): Promise<boolean>;
  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number>;
}

export interface LayoutRepository {
  insert(layout: Layout): Promise<void>;
  findOwned(ownerId: string, id: string): Promise<Layout | null>;
  findById(id: string): Promise<Layout | null>;
  list(ownerId: string): Promise<Layout[]>;
  update(ownerId: string, id: string, fields: Partial<Pick<Layout, 'name' | 'config'>>, now: string): Promise<Layout | null>;
  delete(ownerId: string, id: string): Promise<boolean>;
  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number>;
}

export interface FeedbackRepository {
  insert(feedback: Feedback): Promise<void>;
}

export interface UploadRepository {
  insert(upload: PendingUpload): Promise<void>;
  findOwned(ownerId: string, id: string): Promise<PendingUpload | null>;
  markReceived(ownerId: string, id: string, size: number): Promise<boolean>;
  /** Removes the row and returns it, so exactly one caller gets to consume an upload. */
  take(ownerId: string, id: string): Promise<PendingUpload | null>;
  listExpired(now: string, limit: number): Promise<PendingUpload[]>;
  delete(id: string): Promise<void>;
}

export interface Repositories {
  accounts: AccountRepository;
  credentials: CredentialRepository;
  models: ModelRepository;
  looks: LookRepository;
  layouts: LayoutRepository;
  feedback: FeedbackRepository;
  uploads: UploadRepository;
  /** Liveness of the backing database, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { Plan };
