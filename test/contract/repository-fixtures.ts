/**
 * Row builders for the repository contract. Ids are random so the contract also runs against a
 * shared database (e.g. one Postgres schema for a whole run) without cross-talk.
 */
import { randomUUID } from 'node:crypto';
import type { Account, Credential, Layout, Look, Model, PendingUpload } from '../../src/core/types.js';

export const uid = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
/** ISO timestamp `seconds` after a fixed base, so tests control ordering. */
export const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

export const makeAccount = (over: Partial<Account> = {}): Account => ({
  id: uid('acc'),
  email: null,
  plan: 'free',
  external_id: null,
  created_at: at(0),
  expires_at: null,
  ...over,
});

export const makeCredential = (accountId: string, over: Partial<Credential> = {}): Credential => ({
  id: uid('key'),
  account_id: accountId,
  kind: 'api_key',
  name: 'test key',
  prefix: 'vt_live_AbCd',
  hash: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
  created_at: at(0),
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
  ...over,
});

export const makeModel = (ownerId: string, over: Partial<Model> = {}): Model => {
  const id = over.id ?? uid('mdl');
  return {
    id,
    owner_id: ownerId,
    name: 'Shoe',
    published: false,
    look_id: null,
    layout_id: null,
    overrides: { bg_mode: 'color', bloom_enabled: true, bloom_intensity: 0.4 },
    file_key: `models/${id}/model.glb`,
    size_bytes: 1000,
    sha256: 'ab'.repeat(32),
    stats: { triangles: 12, vertices: 8, meshes: 1, materials: 1, textures: 0, animations: 0, bounds: { min: [-1, -1, -1], max: [1, 1, 1] } },
    thumbnail: { status: 'none', keys: {}, rendered_at: null, error: null },
    created_at: at(0),
    updated_at: at(0),
    ...over,
  };
};

export const makeLook = (ownerId: string, over: Partial<Look> = {}): Look => ({
  id: uid('look'),
  owner_id: ownerId,
  name: 'Studio',
  config: { bg_mode: 'hdri', exposure: 1.2 },
  created_at: at(0),
  updated_at: at(0),
  ...over,
});

export const makeLayout = (ownerId: string, over: Partial<Layout> = {}): Layout => ({
  id: uid('lay'),
  owner_id: ownerId,
  name: 'Tall',
  config: { aspect_ratio: '3:4', zoom_enabled: false },
  builtin: false,
  created_at: at(0),
  updated_at: at(0),
  ...over,
});

export const makeUpload = (ownerId: string, over: Partial<PendingUpload> = {}): PendingUpload => {
  const id = over.id ?? uid('upl');
  return {
    id,
    owner_id: ownerId,
    status: 'pending',
    blob_key: `uploads/${id}.glb`,
    size_bytes: null,
    created_at: at(0),
    expires_at: at(3600),
    ...over,
  };
};
