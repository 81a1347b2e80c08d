/**
 * Row shapes shared by the SQLite and Postgres repositories for the tables whose columns map
 * one to one onto the domain records (text, integers, timestamps as ISO strings).
 */
import type { Account, Credential, CredentialKind, PendingUpload, Plan } from '../core/types.js';

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
