/**
 * Every error leaves as `{ error, message, details? }`. AppErrors keep their code; body-parser
 * failures become 400/413; anything else is a bug: 500 with the request id, never a stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../core/errors.js';
import type { Logger } from 'pino';
import { ERROR_STATUS } from './error-status.js';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
}

export function toAppError(err: unknown): AppError | null {
  if (isAppError(err)) return err;
  const e = err as HttpishError;
  if (e?.type === 'entity.parse.failed') return new AppError('invalid_request', 'The request body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new AppError('file_too_large', 'The JSON body is too large (1 MB max). Upload files as multipart or with the upload flow.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError('invalid_request', 'Unsupported body encoding.');
  if ((e?.status ?? e?.statusCode) === 400) return new AppError('invalid_request', 'Malformed request.');
  return null;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const requestId = String(res.locals.requestId ?? '');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!appError) {
    (res.locals.log as Logger | undefined)?.error({ err, request_id: requestId }, 'unhandled error');
    res.status(500).json({ error: 'internal_error', message: `Something went wrong on our side. Request id: ${requestId}`, request_id: requestId });
    return;
  }
  const status = ERROR_STATUS[appError.code];
  if (appError.retryAfterSeconds) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="vitrine"');
  // The client may still be sending a body we refused (413, 401 on upload): don't read it all.
  if (!req.complete && req.readable) res.setHeader('Connection', 'close');
  res.status(status).json({
    error: appError.code,
    message: appError.message,
    ...(appError.details ? { details: appError.details } : {}),
    ...(status >= 500 ? { request_id: requestId } : {}),
  });
};

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}. See GET /v1/openapi.json.` });
};
