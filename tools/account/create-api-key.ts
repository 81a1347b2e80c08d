import * as z from 'zod';
import { CREATE, defineOperation, me } from '../operation.js';
import { presentApiKey } from '../presenters.js';
import { ApiKeyOut } from '../schemas.js';

export const createApiKey = defineOperation({
  tool: 'vitrine_create_api_key',
  title: 'Create an API key',
  description: 'Creates an API key for this account. The secret (vt_live_…) is returned once; store it, it cannot be shown again.',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'POST', path: '/v1/account/api-keys', status: 201 },
  input: z.object({ name: z.string().min(1).max(100).optional().describe('A label, e.g. "CI"') }),
  output: ApiKeyOut.extend({ key: z.string().describe('The secret; shown only now') }),
  annotations: CREATE,
  async handler(ctx, input) {
    const { credential, secret } = await ctx.core.accounts.createApiKey(me(ctx), input.name);
    return { ...presentApiKey(credential), key: secret };
  },
});
