import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@parley/protocol';
import { ServiceError } from '../service/context.js';
import { StoreReadOnlyError } from '../store/store.js';

/** An HTTP failure with a status and a protocol error code; answered as `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  bad_frame: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  unsupported_type: 415,
  offline: 409,
  session_exists: 409,
  queue_full: 503,
  session_ended: 409,
  session_inactive: 409,
  not_assigned: 409,
  offer_gone: 410,
  rate_limited: 429,
  maintenance: 503,
  read_only: 503,
  draining: 503,
  internal: 500,
};

/** Fastify's own failures (parsing, limits, timeouts), in the protocol's terms. */
function fromFramework(error: FastifyError): HttpError | undefined {
  if (error.validation) return new HttpError(400, 'bad_request', error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'too_large', error.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'bad_request', 'The body must be JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'bad_request', 'Bodies are JSON: send content-type: application/json.');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return new HttpError(error.statusCode, 'bad_request', error.message);
  return undefined;
}

/**
 * Every failure of a route becomes a typed error body. Anything unexpected is
 * reported to `failed` (a read-only store switches the service to read-only)
 * and answered 500 `internal` without details.
 */
export function errorAnswer(error: unknown, failed: (error: unknown) => void): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ServiceError) return new HttpError(STATUS_OF_CODE[error.code] ?? 400, error.code, error.message);
  const framework = error instanceof Error ? fromFramework(error as FastifyError) : undefined;
  if (framework) return framework;
  failed(error);
  if (error instanceof StoreReadOnlyError) return new HttpError(503, 'read_only', 'The store cannot take writes right now.');
  return new HttpError(500, 'internal', 'Something went wrong on our side; nothing was changed.');
}

export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send({ error: { code: error.code, message: error.message } });
}

/** The bearer token of a request; tokens travel in this header, never in URLs. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
