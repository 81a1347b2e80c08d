/**
 * Row shapes shared by the SQLite and Postgres repositories for the tables whose columns map
 * one to one onto the domain records (text, integers, timestamps as ISO strings).
 */
import type { Account, Credential, CredentialKind, Look, PendingUpload, Plan } from '../core/types.js';

export interface AccountRow {
  id: string;
  email: string | null;
  plan: string;
  external_id: string | null;
  created_at: string;
  expires_at: string | null;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  email: r.email,
  plan: r.plan as Plan,
  external_id: r.external_id,
  created_at: r.created_at,
  expires_at: r.expires_at,
});

export interface CredentialRow {
  id: string;
  account_id: string;
  kind: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export const toCredential = (r: CredentialRow): Credential => ({
  id: r.id,
  account_id: r.account_id,
  kind: r.kind as CredentialKind,
  name: r.name,
  prefix: r.prefix,
  hash: r.hash,
  created_at: r.created_at,
  last_used_at: r.last_used_at,
  expires_at: r.expires_at,
  revoked_at: r.revoked_at,
});

/** A credential row joined with its account's columns under `account_` aliases (LEFT JOIN). */
export interface CredentialAccountRow extends CredentialRow {
  account_id_: string | null;
  account_email: string | null;
  account_plan: string | null;
  account_external_id: string | null;
  account_created_at: string | null;
  account_expires_at: string | null;
}

/** The select list for CredentialAccountRow, over `credentials c LEFT JOIN accounts a`. */
export const CREDENTIAL_ACCOUNT_COLUMNS =
  'c.*, a.id AS account_id_, a.email AS account_email, a.plan AS account_plan, a.external_id AS account_external_id, ' +
  'a.created_at AS account_created_at, a.expires_at AS account_expires_at';

export const toCredentialWithAccount = (r: CredentialAccountRow): { credential: Credential; account: Account | null } => ({
  credential: toCredential(r),
  account:
    r.account_id_ === null
      ? null
      : toAccount({
          id: r.account_id_,
          email: r.account_email,
          plan: r.account_plan!,
          external_id: r.account_external_id,
          created_at: r.account_created_at!,
          expires_at: r.account_expires_at,
        }),
});

export interface UploadRow {
  id: string;
  owner_id: string;
  status: string;
  blob_key: string;
  size_bytes: number | null;
  created_at: string;
  expires_at: string;
}

export const toUpload = (r: UploadRow): PendingUpload => ({
  id: r.id,
  owner_id: r.owner_id,
  status: r.status as PendingUpload['status'],
  blob_key: r.blob_key,
  size_bytes: r.size_bytes,
  created_at: r.created_at,
  expires_at: r.expires_at,
});

/** Looks and stored layouts share one table shape: a look is exactly that record. */
export type ConfigRecord = Look;
