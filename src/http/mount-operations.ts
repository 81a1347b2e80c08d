/**
 * Mounts every operation of the catalogue that has a REST binding. Input is assembled from path
 * params, query and body, validated with the operation's own zod schema, and handed to the same
 * handler the MCP server calls.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type * as z from 'zod';
import { AppError, issuesToDetails } from '../core/errors.js';
import type { Core } from '../core/core.js';
import type { StagedFile } from '../core/ports/staging.js';
import type { Principal } from '../core/types.js';
import type { Operation } from '../../tools/operation.js';
import type { AnonymousSession, Gatekeeper } from './gatekeeper.js';
import { isMultipart, readMultipartUpload } from './multipart.js';

export function mountOperations(app: Express, ops: readonly Operation[], core: Core, gate: Gatekeeper): void {
  // The body is parsed only after admission: a request that is unauthenticated or over its rate
  // limit costs no parsing, and malformed bodies are counted (and carry the rate headers) too.
  const json = express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] });
  for (const op of ops) {
    if (!op.rest) continue;
    const method = op.rest.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    app[method](
      op.rest.path,
      async (req: Request, res: Response, next: NextFunction) => {
        res.locals.principal = await gate.admit(req, res, op.auth);
        next();
      },
      json,
      async (req: Request, res: Response) => {
        await runOperation(op, req, res, core, gate, res.locals.principal as Principal | null);
      },
    );
  }
}

async function runOperation(op: Operation, req: Request, res: Response, core: Core, gate: Gatekeeper, admitted: Principal | null) {
  let principal = admitted;
  let staged: StagedFile | null = null;
  let session: AnonymousSession | null = null;
  try {
    let raw: Record<string, unknown>;
    if (op.rest!.multipartFile && isMultipart(req)) {
      const form = await readMultipartUpload(req, core.deps.staging, core.models.maxUploadBytes(principal));
      staged = form.file;
      raw = { ...form.fields, ...(form.filename && !form.fields.filename ? { filename: form.filename } : {}), ...req.params };
      if (!staged) throw new AppError('invalid_request', "Missing file: send the GLB as multipart field 'file' (curl -F file=@model.glb).");
    } else {
      raw = assembleInput(op, req);
    }
    const input = parseInput(op.input, raw);
    if (!principal && op.auth === 'anonymous_ok') {
      ({ principal, session } = await gate.mintAnonymous(res));
    }
    const output = await op.handler({ core, principal, transport: 'rest', staged, progress: () => {} }, input);
    staged = null; // the handler owns (and released) it
    const body = session ? { ...output, anonymous_session: { token: session.token, expires_at: session.expires_at } } : output;
    res.status(op.rest!.status ?? 200).json(body);
  } catch (err) {
    await staged?.release();
    if (session) {
      res.removeHeader('X-Vitrine-Anonymous-Token');
      await gate.discardAnonymous(session);
    }
    throw err;
  }
}

function assembleInput(op: Operation, req: Request): Record<string, unknown> {
  const readsQuery = op.rest!.method === 'GET' || op.rest!.method === 'DELETE';
  const sentBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  // A body the JSON parser skipped (e.g. `curl -d` without the JSON Content-Type) must not be
  // treated as "no fields": a config PATCH would answer 200 and change nothing.
  if (!readsQuery && sentBody && !req.is(['application/json', 'application/*+json'])) {
    throw new AppError(
      'invalid_request',
      op.rest!.multipartFile
        ? "Send the GLB as multipart/form-data field 'file' (curl -F file=@model.glb), or JSON {\"upload_id\": …} with Content-Type: application/json."
        : `Unsupported Content-Type '${req.get('content-type') ?? '(none)'}': send the body as JSON with Content-Type: application/json.`,
    );
  }
  // Past that check a body is parsed JSON or absent (undefined).
  const body: unknown = req.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new AppError('invalid_request', 'The JSON body must be an object.');
  }
  const query = readsQuery ? { ...(req.query as Record<string, unknown>) } : {};
  const fromBody = op.rest!.bodyField ? { [op.rest!.bodyField]: body ?? {} } : ((body as Record<string, unknown> | undefined) ?? {});
  return { ...query, ...fromBody, ...req.params };
}

/** Validation failures name the field; anything under `config` is an invalid_config. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0]!;
  const isConfig = issues.some((i) => i.path[0] === 'config');
  const fieldPath = (isConfig ? first.path.slice(1) : first.path).map(String).join('.');
  const what = first.code === 'unrecognized_keys' ? `unknown field(s) ${(first as { keys?: string[] }).keys?.join(', ')}` : first.message;
  throw new AppError(
    isConfig ? 'invalid_config' : 'invalid_request',
    fieldPath ? `Invalid ${isConfig ? 'config field' : 'field'} '${fieldPath}': ${what}` : `Invalid ${isConfig ? 'config' : 'request'}: ${what}`,
    issuesToDetails(issues.map((i) => ({ ...i, path: isConfig ? i.path.slice(1) : i.path }))),
  );
}
