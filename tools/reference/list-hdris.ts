import * as z from 'zod';
import { defineOperation, READ } from '../operation.js';

export const HdriOut = z.object({
  slug: z.string().describe('Value for hdri_preset'),
  title: z.string(),
  category: z.string(),
  recommended_exposure: z.number(),
  file_url: z.string(),
  format: z.enum(['exr', 'hdr']),
  preview_url: z.string().nullable(),
  alias_of: z.string().nullable(),
  source: z.enum(['bundled', 'operator']),
});

export const listHdris = defineOperation({
  tool: 'vitrine_list_hdris',
  title: 'List HDRI presets',
  description: 'Lists the HDRI environments available for hdri_preset (slug, title, category, recommended exposure, preview image).',
  toolset: 'reference',
  auth: 'none',
  rest: { method: 'GET', path: '/v1/hdris' },
  input: z.object({}),
  output: z.object({ hdris: z.array(HdriOut) }),
  annotations: READ,
  async handler(ctx) {
    const base = ctx.core.deps.settings.publicBaseUrl;
    const abs = (u: string | null) => (u && u.startsWith('/') ? base + u : u);
    const hdris = await ctx.core.deps.hdris.list();
    return { hdris: hdris.map((h) => ({ ...h, file_url: abs(h.file_url)!, preview_url: abs(h.preview_url) })) };
  },
});
