/** Feedback is stored first (never lost), then forwarded best-effort. */
import type { CoreDeps } from '../deps.js';
import type { Feedback, Principal } from '../types.js';

export class FeedbackService {
  constructor(private readonly d: CoreDeps) {}

  async submit(p: Principal | null, input: Pick<Feedback, 'type' | 'message'> & { page?: string | null; meta?: Record<string, unknown> | null }): Promise<Feedback> {
    const feedback: Feedback = {
      id: this.d.ids.id('fb'),
      account_id: p?.accountId ?? null,
      type: input.type,
      message: input.message,
      page: input.page ?? null,
      meta: input.meta ?? null,
      created_at: this.d.clock.now().toISOString(),
    };
    await this.d.repos.feedback.insert(feedback);
    if (this.d.feedbackForwarder) {
      this.d.feedbackForwarder.forward(feedback).catch((err) => this.d.log.warn({ err: String(err), feedback_id: feedback.id }, 'feedback forward failed'));
    }
    return feedback;
  }
}
