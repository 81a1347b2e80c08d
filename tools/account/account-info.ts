import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';

export const accountInfo = defineOperation({
  tool: 'vitrine_account_info',
  title: 'Account, plan and usage',
  description: 'Shows the current account: plan, usage (models, storage) and limits (requests per minute, models, storage, file size).',
  toolset: 'account',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/account' },
  input: z.object({}),
  output: z.object({
    user: z.object({
      id: z.string(),
      email: z.string().nullable(),
      plan: z.enum(['anonymous', 'free', 'pro']),
      anonymous: z.boolean(),
      created_at: z.string(),
      expires_at: z.string().nullable(),
    }),
    plan: z.enum(['anonymous', 'free', 'pro']),
    usage: z.object({ models: z.number().int(), storage_bytes: z.number().int() }),
    limits: z.object({
      requests_per_minute: z.number().int(),
      max_models: z.number().int(),
      max_storage_bytes: z.number().int(),
      max_file_bytes: z.number().int(),
    }),
  }),
  annotations: READ,
  async handler(ctx) {
    const info = await ctx.core.accounts.info(me(ctx));
    const a = info.account;
    return {
      user: { id: a.id, email: a.email, plan: a.plan, anonymous: a.plan === 'anonymous', created_at: a.created_at, expires_at: a.expires_at },
      plan: a.plan,
      usage: info.usage,
      limits: info.limits,
    };
  },
});
