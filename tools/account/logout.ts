import * as z from 'zod';
import { AppError } from '../../src/core/errors.js';
import { defineOperation } from '../operation.js';

export const logout = defineOperation({
  tool: 'vitrine_logout',
  title: 'Log out',
  description: 'Forgets the API key of this local (stdio) session; later calls act as the local owner account, or fail if there is none.',
  toolset: 'account',
  auth: 'optional',
  rest: null,
  transports: ['mcp-stdio'],
  input: z.object({}),
  output: z.object({ logged_out: z.literal(true), message: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(ctx) {
    if (!ctx.session) throw new AppError('invalid_request', 'Logout applies to local stdio sessions; over HTTP, just stop sending the key (or revoke it with vitrine_revoke_api_key).');
    const { message } = await ctx.session.logout();
    return { logged_out: true as const, message };
  },
});
