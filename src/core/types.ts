/**
 * Domain records as the core sees them. Repositories store and return these; presenters in
 * the operations turn them into the public snake_case JSON.
 */
import type { ConfigOverrides } from './scene/config-schema.js';

export const PLANS = ['anonymous', 'free', 'pro'] as const;
export type Plan = (typeof PLANS)[number];

export interface Account {
  id: string;
  email: string | null;
  plan: Plan;
  /** Supabase `sub` for JWT-authenticated accounts. */
  external_id: string | null;
  created_at: string;
  /** Anonymous accounts expire (and are swept with everything they own); others are null. */
  expires_at: string | null;
}

export type CredentialKind = 'api_key' | 'anonymous_session';

export interface Credential {
  id: string;
  account_id: string;
  kind: CredentialKind;
  name: string;
  /** Display prefix, e.g. `vt_live_AbC1`; never enough to use. */
  prefix: string;
  /** SHA-256 hex of the full secret. The secret itself is never stored. */
  hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** How a request authenticated; the core decides everything from this. */
export interface Principal {
  accountId: string;
  plan: Plan;
  kind: 'api_key' | 'anonymous' | 'jwt' | 'local_owner';
  credentialId: string | null;
}

export interface GlbStats {
  triangles: number;
  vertices: number;
  meshes: number;
  materials: number;
  textures: number;
  animations: number;
  bounds: { min: [number, number, number]; max: [number, number, number] } | null;
}

export type ThumbnailStatus = 'none' | 'pending' | 'ready' | 'stale' | 'failed';

export interface ThumbnailState {
  status: ThumbnailStatus;
  /** Blob keys by size name (`master`, `1024`, `512`, `256`, `aspect`). */
  keys: Record<string, string>;
  rendered_at: string | null;
  error: string | null;
}

export interface Model {
  id: string;
  owner_id: string;
  name: string;
  published: boolean;
  look_id: string | null;
  layout_id: string | null;
  /** Sparse model overrides of the scene config. */
  overrides: ConfigOverrides;
  file_key: string;
  size_bytes: number;
  sha256: string;
  stats: GlbStats;
  thumbnail: ThumbnailState;
  created_at: string;
  updated_at: string;
}

export interface Look {
  id: string;
  owner_id: string;
  name: string;
  config: ConfigOverrides;
  created_at: string;
  updated_at: string;
}

export interface Layout {
  id: string;
  /** Null for built-in layouts, which every account can use. */
  owner_id: string | null;
  name: string;
  config: ConfigOverrides;
  builtin: boolean;
  created_at: string;
  updated_at: string;
}

export interface Feedback {
  id: string;
  account_id: string | null;
  type: 'bug' | 'feature' | 'other';
  message: string;
  page: string | null;
  meta: Record<string, unknown> | null;
  created_at: string;
}

export interface PendingUpload {
  id: string;
  owner_id: string;
  status: 'pending' | 'received';
  blob_key: string;
  size_bytes: number | null;
  created_at: string;
  expires_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
