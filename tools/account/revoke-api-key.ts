import * as z from 'zod';
import { defineOperation, DELETE, me } from '../operation.js';
import { Id } from '../schemas.js';

export const revokeApiKey = defineOperation({
  tool: 'vitrine_revoke_api_key',
  title: 'Revoke an API key',
  description: 'Revokes an API key; requests with it fail from this moment on. Cannot be undone.',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'DELETE', path: '/v1/account/api-keys/:key_id' },
  input: z.object({ key_id: Id('API key') }),
  output: z.object({ id: z.string(), revoked: z.literal(true) }),
  annotations: DELETE,
  async handler(ctx, input) {
    await ctx.core.accounts.revokeApiKey(me(ctx), input.key_id);
    return { id: input.key_id, revoked: true as const };
  },
});
