/**
 * One error type for the whole domain. Codes are snake_case and specific; each face (HTTP, MCP)
 * maps them in one file of its own (src/http/error-status.ts, src/mcp/error-result.ts).
 */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_config',
  'invalid_glb',
  'file_too_large',
  'unauthorized',
  'forbidden',
  'plan_limit_reached',
  'model_not_found',
  'look_not_found',
  'layout_not_found',
  'api_key_not_found',
  'upload_not_found',
  'not_found',
  'not_published',
  'conflict',
  'rate_limited',
  'renderer_unavailable',
  'renderer_busy',
  'render_failed',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds the caller should wait before retrying (rate limits, busy renderer). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Zod issues → `details.issues` with dotted field paths, for `invalid_request` / `invalid_config`. */
export function issuesToDetails(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[]) {
  return {
    issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, ...(i.code ? { code: i.code } : {}) })),
  };
}
