import type { Layout } from '../types.js';
import type { ConfigOverrides } from './config-schema.js';

const builtin = (id: string, name: string, aspect_ratio: ConfigOverrides['aspect_ratio']): Layout => ({
  id,
  owner_id: null,
  name,
  config: { aspect_ratio },
  builtin: true,
  created_at: '1970-01-01T00:00:00.000Z',
  updated_at: '1970-01-01T00:00:00.000Z',
});

/** Layouts every account can use; their ids are stable and never collide with `lay_…` ids. */
export const BUILTIN_LAYOUTS: readonly Layout[] = Object.freeze([
  builtin('widescreen', 'Widescreen 16:9', '16:9'),
  builtin('classic', 'Classic 4:3', '4:3'),
  builtin('square', 'Square 1:1', '1:1'),
  builtin('portrait', 'Portrait 3:4', '3:4'),
  builtin('story', 'Story 9:16', '9:16'),
]);

export const findBuiltinLayout = (id: string): Layout | undefined => BUILTIN_LAYOUTS.find((l) => l.id === id);
