import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { presentApiKey } from '../presenters.js';
import { ApiKeyOut } from '../schemas.js';

export const listApiKeys = defineOperation({
  tool: 'vitrine_list_api_keys',
  title: 'List API keys',
  description: 'Lists the API keys of this account (name, prefix, created, last used, revoked) — never the secrets.',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/account/api-keys' },
  input: z.object({}),
  output: z.object({ api_keys: z.array(ApiKeyOut) }),
  annotations: READ,
  async handler(ctx) {
    return { api_keys: (await ctx.core.accounts.listApiKeys(me(ctx))).map(presentApiKey) };
  },
});
