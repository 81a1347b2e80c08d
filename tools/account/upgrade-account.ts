import * as z from 'zod';
import { defineOperation, me } from '../operation.js';
import { presentApiKey } from '../presenters.js';
import { ApiKeyOut } from '../schemas.js';

export const UpgradeOut = z.object({
  account_id: z.string(),
  plan: z.enum(['anonymous', 'free', 'pro']),
  expires_at: z.string().nullable(),
  api_key: ApiKeyOut.extend({ key: z.string() }).describe('A first API key; the secret is shown only now'),
});

export const upgradeAccount = defineOperation({
  tool: 'vitrine_upgrade_account',
  title: 'Keep an anonymous session',
  description:
    'Turns the current anonymous session into a permanent free account in place (same id, models kept, 48 h expiry removed) ' +
    'and returns a first API key. Call it with the anonymous session token as Bearer.',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'POST', path: '/v1/account/upgrade' },
  input: z.object({ email: z.email().max(320).optional().describe('Contact email for the account') }),
  output: UpgradeOut,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(ctx, input) {
    const { account, key } = await ctx.core.accounts.upgradeAnonymous(me(ctx), input.email ?? null);
    return { account_id: account.id, plan: account.plan, expires_at: account.expires_at, api_key: { ...presentApiKey(key.credential), key: key.secret } };
  },
});
