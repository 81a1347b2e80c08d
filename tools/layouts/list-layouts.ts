import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { presentLayout } from '../presenters.js';
import { LayoutOut } from '../schemas.js';

export const listLayouts = defineOperation({
  tool: 'vitrine_list_layouts',
  title: 'List layouts',
  description:
    'Lists the built-in layouts (widescreen 16:9, classic 4:3, square 1:1, portrait 3:4, story 9:16) and your own. ' +
    'A layout sets the embed frame: aspect ratio, controls and UI. Use it with vitrine_update_showcase layout_id.',
  toolset: 'layouts',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/layouts' },
  input: z.object({}),
  output: z.object({ layouts: z.array(LayoutOut) }),
  annotations: READ,
  async handler(ctx) {
    return { layouts: (await ctx.core.layouts.list(me(ctx))).map(presentLayout) };
  },
});
