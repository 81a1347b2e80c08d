import * as z from 'zod';
import { AppError } from '../../src/core/errors.js';
import { defineOperation, me } from '../operation.js';

export const login = defineOperation({
  tool: 'vitrine_login',
  title: 'Log in / keep your work',
  description:
    'Makes your work permanent. From an anonymous session: converts it into a free account and returns an API key (configure it as VITRINE_API_KEY to stay logged in). ' +
    'From a permanent account with anonymous_token: moves that anonymous session into this account.',
  toolset: 'account',
  auth: 'required',
  rest: null,
  input: z.object({
    email: z.email().max(320).optional().describe('Contact email when upgrading an anonymous session'),
    anonymous_token: z.string().max(200).optional().describe('A vt_anon_… token to claim into this account'),
  }),
  output: z.object({
    account_id: z.string(),
    plan: z.enum(['anonymous', 'free', 'pro']),
    api_key: z.string().nullable().describe('New API key secret when an anonymous session was upgraded; shown once'),
    moved_models: z.number().int(),
    message: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(ctx, input) {
    const p = me(ctx);
    if (p.kind === 'anonymous') {
      const { account, key } = await ctx.core.accounts.upgradeAnonymous(p, input.email ?? null);
      return { account_id: account.id, plan: account.plan, api_key: key.secret, moved_models: 0, message: 'Anonymous session upgraded to a permanent free account. Save the API key; it is shown once.' };
    }
    if (!input.anonymous_token) {
      throw new AppError('invalid_request', 'You are already logged in to a permanent account. To move anonymous work into it, pass anonymous_token.');
    }
    const { moved_models } = await ctx.core.accounts.claimAnonymous(p, input.anonymous_token);
    return { account_id: p.accountId, plan: p.plan, api_key: null, moved_models, message: `Moved ${moved_models} model(s) into this account.` };
  },
});
