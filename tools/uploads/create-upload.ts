import * as z from 'zod';
import { CREATE, defineOperation, me } from '../operation.js';

export const createUpload = defineOperation({
  tool: 'vitrine_create_upload',
  title: 'Start a large upload',
  description:
    'Starts a direct upload for a big GLB: returns upload_id and upload_url. PUT the raw file bytes to upload_url with the same ' +
    'Authorization header (curl -T model.glb URL), then call vitrine_upload_model with upload_id. Uploads expire after an hour.',
  toolset: 'models',
  auth: 'anonymous_ok',
  rest: { method: 'POST', path: '/v1/uploads', status: 201 },
  input: z.object({}),
  output: z.object({
    upload_id: z.string(),
    upload_url: z.string(),
    method: z.literal('PUT'),
    max_bytes: z.number().int(),
    expires_at: z.string(),
  }),
  annotations: CREATE,
  async handler(ctx) {
    const { upload, upload_url, max_bytes } = await ctx.core.uploads.create(me(ctx));
    return { upload_id: upload.id, upload_url, method: 'PUT' as const, max_bytes, expires_at: upload.expires_at };
  },
});
