import * as z from 'zod';
import { defineOperation } from '../operation.js';

export const feedback = defineOperation({
  tool: 'vitrine_feedback',
  title: 'Send feedback',
  description:
    'Sends a bug report, feature request or other feedback to the people who run this vitrine server. ' +
    'Use it when something does not work as documented or a capability is missing.',
  toolset: 'feedback',
  auth: 'optional',
  rest: { method: 'POST', path: '/v1/feedback', status: 201 },
  input: z.object({
    type: z.enum(['bug', 'feature', 'other']).describe('What kind of feedback'),
    message: z.string().min(1).max(5000).describe('What happened or what you would like'),
    page: z.string().max(2048).nullable().optional().describe('Page or endpoint it is about'),
    meta: z.record(z.string(), z.unknown()).nullable().optional().describe('Any extra context (ids, versions)'),
  }),
  output: z.object({ id: z.string(), received: z.literal(true), created_at: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(ctx, input) {
    const fb = await ctx.core.feedback.submit(ctx.principal, input);
    return { id: fb.id, received: true as const, created_at: fb.created_at };
  },
});
