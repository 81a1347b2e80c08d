/**
 * An API operation, defined once and mounted twice: as a REST route under /v1 (src/http) and as
 * an MCP tool (src/mcp). Handlers take an OperationContext and validated input, call the core,
 * and return the public JSON — they never see Express requests or MCP internals.
 */
import type * as z from 'zod';
import type { Core } from '../src/core/core.js';
import { AppError } from '../src/core/errors.js';
import type { StagedFile } from '../src/core/ports/staging.js';
import type { Principal } from '../src/core/types.js';

/** Groups of tools a client can ask for, to keep its context small. */
export const TOOLSETS = ['models', 'scene', 'publish', 'looks', 'layouts', 'thumbnails', 'account', 'reference', 'feedback'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/**
 * - `none`: public reference data, no principal.
 * - `optional`: uses the principal when there is one.
 * - `required`: 401 without credentials.
 * - `anonymous_ok`: a write; without credentials an anonymous account is created (REST only).
 */
export type AuthMode = 'none' | 'optional' | 'required' | 'anonymous_ok';

export type Transport = 'rest' | 'mcp-stdio' | 'mcp-http';

export interface OperationContext {
  core: Core;
  principal: Principal | null;
  transport: Transport;
  /** A file the REST adapter already streamed to disk (multipart upload). */
  staged: StagedFile | null;
  signal?: AbortSignal;
  /** Progress for long work (MCP progress notifications); a no-op where unsupported. */
  progress: (progress: number, total: number, message: string) => void;
  /** The stdio session, where logout can drop the key. */
  session?: { logout(): Promise<{ message: string }> };
  /** MCP only: an image for the agent to look at (a rendered thumbnail), sent as image content. */
  attachImage?: (image: { data: Buffer; mimeType: 'image/png' | 'image/webp' }) => void;
}

export interface RestBinding {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Express path; `:param` names are input field names. */
  path: string;
  /** Success status, default 200. */
  status?: number;
  /** When set, the whole JSON body becomes this input field (e.g. a config patch). */
  bodyField?: string;
  /** Accepts multipart/form-data with a `file` field (streamed to `ctx.staged`). */
  multipartFile?: boolean;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** MCP tool name, `vitrine_<verb>_<noun>` (the official names are kept as they are). */
  tool: string;
  title: string;
  /** Written for the model: what it does, when to use it, what to call next. */
  description: string;
  toolset: Toolset;
  auth: AuthMode;
  rest: RestBinding | null;
  /** Transports this operation is offered on (default: all). */
  transports?: Transport[];
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler(ctx: OperationContext, input: z.output<I>): Promise<z.input<O>>;
}

export function defineOperation<I extends z.ZodObject, O extends z.ZodObject>(op: Operation<I, O>): Operation<I, O> {
  return op;
}

/** The principal, or 401 — for operations whose auth mode guarantees one. */
export function me(ctx: OperationContext): Principal {
  if (!ctx.principal) throw new AppError('unauthorized', 'Authentication required: send Authorization: Bearer <API key>.');
  return ctx.principal;
}

export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const CREATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
export const UPDATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
