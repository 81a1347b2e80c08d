import * as z from 'zod';
import { defineOperation, me } from '../operation.js';

export const claimSession = defineOperation({
  tool: 'vitrine_claim_session',
  title: 'Claim an anonymous session',
  description:
    "Moves an anonymous session's models, looks and layouts into the current (permanent) account, then ends that session. " +
    'Pass the vt_anon_… token the anonymous uploads were made with.',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'POST', path: '/v1/account/claim' },
  input: z.object({ anonymous_token: z.string().min(1).max(200).describe('The vt_anon_… session token') }),
  output: z.object({ moved_models: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(ctx, input) {
    return ctx.core.accounts.claimAnonymous(me(ctx), input.anonymous_token);
  },
});
