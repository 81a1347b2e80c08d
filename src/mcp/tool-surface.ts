/**
 * Which tools a client sees: the operations offered on its transport, narrowed to the toolsets it
 * asked for, and to read-only tools (annotated `readOnlyHint: true`) in read-only mode. Keeping
 * the list short is how an agent keeps its context small.
 */
import { AppError } from '../core/errors.js';
import { TOOLSETS, type Operation, type Toolset, type Transport } from '../../tools/operation.js';

export type McpTransport = Extract<Transport, 'mcp-stdio' | 'mcp-http'>;

export interface ToolSurface {
  /** Null = every toolset. */
  toolsets: readonly Toolset[] | null;
  readOnly: boolean;
}

export const FULL_SURFACE: ToolSurface = Object.freeze({ toolsets: null, readOnly: false });

export function offeredOn(op: Operation, transport: McpTransport): boolean {
  return !op.transports || op.transports.includes(transport);
}

export function selectOperations(ops: readonly Operation[], transport: McpTransport, surface: ToolSurface): Operation[] {
  return ops.filter(
    (op) =>
      offeredOn(op, transport) &&
      (!surface.toolsets || surface.toolsets.includes(op.toolset)) &&
      (!surface.readOnly || op.annotations.readOnlyHint),
  );
}

/**
 * `"models, scene"` → ['models', 'scene']. `all` (or empty) means every toolset. Unknown names
 * are an error rather than silently ignored: a typo would otherwise hide tools.
 */
export function parseToolsets(raw: string | readonly string[] | null | undefined): Toolset[] | null {
  if (raw == null) return null;
  const names = (typeof raw === 'string' ? raw.split(',') : raw.flatMap((r) => r.split(','))).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return null;
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new AppError('invalid_request', `Unknown toolset(s): ${unknown.join(', ')}. Valid toolsets: ${TOOLSETS.join(', ')} (or all).`);
  }
  return [...new Set(names)] as Toolset[];
}

/** `1`, `true`, `yes`, `on` → true; `0`, `false`, `no`, `off`, empty → false; anything else is an error. */
export function parseFlag(raw: string | null | undefined, name: string): boolean {
  if (raw == null) return false;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(v)) return false;
  throw new AppError('invalid_request', `${name} must be true or false (got ${JSON.stringify(raw)}).`);
}
