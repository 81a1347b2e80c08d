/** The one place that maps error codes to HTTP statuses. */
import type { ErrorCode } from '../core/errors.js';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_config: 400,
  invalid_glb: 400,
  file_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  plan_limit_reached: 403,
  model_not_found: 404,
  look_not_found: 404,
  layout_not_found: 404,
  api_key_not_found: 404,
  upload_not_found: 404,
  not_found: 404,
  not_published: 409,
  conflict: 409,
  rate_limited: 429,
  renderer_unavailable: 503,
  renderer_busy: 503,
  render_failed: 502,
  internal_error: 500,
};
