/**
 * The one place that maps core errors to MCP tool results. An AppError is something the agent can
 * act on, so it comes back as an `isError: true` result (not a JSON-RPC error) whose text starts
 * with the error code and ends with what to do next. Anything else is a bug: a generic
 * internal_error with an incident id the operator can find in the logs, never a stack.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { isAppError, type AppError, type ErrorCode } from '../core/errors.js';

/** What an agent should do next, per code. Written for a model reading the result. */
export const NEXT_STEP: Record<ErrorCode, string> = {
  invalid_request: 'Fix the arguments named above (see the tool input schema) and call the tool again.',
  invalid_config:
    'Fix or drop the config field named above. Read the resource vitrine://config-schema (or call vitrine_config_schema) for valid fields, enums and ranges; hdri_preset must be a slug from vitrine_list_hdris.',
  invalid_glb: 'The file is not a self-contained, valid GLB 2.0. Export it again as binary glTF (.glb) with textures embedded, then upload again.',
  file_too_large: 'Use a smaller file (vitrine_account_info shows your limits), or for big files over HTTP use vitrine_create_upload and PUT the bytes to upload_url.',
  unauthorized:
    'Check the credentials: over HTTP send Authorization: Bearer <vt_live_… API key>; over stdio set VITRINE_API_KEY in the MCP client config, or remove it to act as the local owner.',
  forbidden: 'This account may not do that. Call vitrine_account_info to see your plan.',
  plan_limit_reached: 'Delete models you no longer need (vitrine_list_models, vitrine_delete_model) or upgrade the plan; vitrine_account_info shows usage and limits.',
  model_not_found: 'Call vitrine_list_models to see the ids of your models.',
  look_not_found: 'Call vitrine_list_looks to see your look ids, or vitrine_create_look to make one.',
  layout_not_found: 'Call vitrine_list_layouts to see the built-in and your own layout ids.',
  api_key_not_found: 'Call vitrine_list_api_keys to see your key ids.',
  upload_not_found: 'The upload id is unknown or expired. Call vitrine_create_upload again, PUT the bytes to upload_url, then call vitrine_upload_model with the new upload_id.',
  not_found: 'Check the id; the list tools show what exists.',
  not_published: 'Call vitrine_publish with this model_id first, then call this tool again.',
  conflict: 'Reload the current state (vitrine_model_info) and retry.',
  rate_limited: 'Wait for the number of seconds given above, then retry. Batch work instead of polling.',
  renderer_unavailable:
    'Thumbnails need Chromium on the server; everything else works. Carry on without a thumbnail (the embed still renders), or ask the operator to install Chromium / set CHROME_PATH.',
  renderer_busy: 'The renderer queue is full. Retry in a few seconds.',
  render_failed: 'Rendering failed for this model and config. Try vitrine_render_thumbnail again, or check the model with vitrine_model_info.',
  internal_error: 'This is a server bug, not your input. Retry once; if it persists, report it with vitrine_feedback quoting the incident id.',
};

export interface ErrorResultOptions {
  /** Receives unexpected (non-AppError) failures, with the incident id they were given. */
  onBug?: (err: unknown, incidentId: string) => void;
}

/** The text an agent reads: `<code>: <message> Next: <what to do>` plus details when any. */
export function errorText(err: AppError): string {
  const lines = [`${err.code}: ${err.message}`];
  if (err.details && Object.keys(err.details).length > 0) lines.push(`Details: ${JSON.stringify(err.details)}`);
  lines.push(`Next: ${NEXT_STEP[err.code]}`);
  return lines.join('\n');
}

export function errorResult(err: unknown, opts: ErrorResultOptions = {}): CallToolResult {
  if (isAppError(err)) {
    return {
      isError: true,
      content: [{ type: 'text', text: errorText(err) }],
      _meta: { 'vitrine/error': { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}), ...(err.retryAfterSeconds ? { retry_after_seconds: err.retryAfterSeconds } : {}) } },
    };
  }
  const incidentId = randomUUID();
  opts.onBug?.(err, incidentId);
  return {
    isError: true,
    content: [{ type: 'text', text: `internal_error: Something went wrong on our side (incident ${incidentId}).\nNext: ${NEXT_STEP.internal_error}` }],
    _meta: { 'vitrine/error': { error: 'internal_error', message: 'Something went wrong on our side.', incident_id: incidentId } },
  };
}
