import * as z from 'zod';
import { LayoutConfig } from '../../src/core/scene/config-schema.js';
import { CREATE, defineOperation, me } from '../operation.js';
import { presentLayout } from '../presenters.js';
import { LayoutOut } from '../schemas.js';

export const createLayout = defineOperation({
  tool: 'vitrine_create_layout',
  title: 'Create a layout',
  description: 'Saves a named layout (aspect_ratio, controls_enabled, zoom_enabled, pan_enabled, ui_* fields) to use on showcases.',
  toolset: 'layouts',
  auth: 'anonymous_ok',
  rest: { method: 'POST', path: '/v1/layouts', status: 201 },
  input: z.object({ name: z.string().min(1).max(200), config: LayoutConfig.default({}) }),
  output: LayoutOut,
  annotations: CREATE,
  async handler(ctx, input) {
    return presentLayout(await ctx.core.layouts.create(me(ctx), input));
  },
});
