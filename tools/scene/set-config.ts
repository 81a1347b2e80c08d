import * as z from 'zod';
import { ConfigPatch } from '../../src/core/scene/config-schema.js';
import { defineOperation, me, UPDATE } from '../operation.js';
import { ConfigOut, ModelId } from '../schemas.js';

export const setConfig = defineOperation({
  tool: 'vitrine_set_config',
  title: 'Change scene config',
  description:
    "Applies a sparse patch to a model's scene: background (bg_mode, bg_color), HDRI lighting (hdri_preset from vitrine_list_hdris, hdri_exposure), " +
    'three-point lights, shadows, bloom, ambient occlusion, camera, auto-rotate and layout fields. Only the fields you send change; ' +
    'null removes an override so the field falls back to the look. Returns the new merged config. Next: vitrine_render_thumbnail to look at it, vitrine_publish.',
  toolset: 'scene',
  auth: 'required',
  rest: { method: 'PATCH', path: '/v1/models/:model_id/config', bodyField: 'config' },
  input: z.object({ model_id: ModelId, config: ConfigPatch }),
  output: ConfigOut,
  annotations: UPDATE,
  async handler(ctx, input) {
    const { config, overrides } = await ctx.core.models.patchConfig(me(ctx), input.model_id, input.config);
    return { model_id: input.model_id, config, overrides };
  },
});
