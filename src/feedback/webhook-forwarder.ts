/** Posts feedback as JSON to VITRINE_FEEDBACK_WEBHOOK_URL (Slack-compatible `text` included). */
import type { FeedbackForwarder } from '../core/ports/feedback-forwarder.js';

export function createWebhookForwarder(url: string, timeoutMs = 5000): FeedbackForwarder {
  return {
    async forward(feedback) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `[vitrine ${feedback.type}] ${feedback.message}`, feedback }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
