import type { Feedback } from '../types.js';

/** Sends feedback somewhere people read it (a webhook). Best effort: never fails the request. */
export interface FeedbackForwarder {
  forward(feedback: Feedback): Promise<void>;
}
