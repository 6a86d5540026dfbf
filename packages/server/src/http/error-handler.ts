import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusOf, type ErrorCode, type HttpErrorBody } from '@parley/protocol';
import { ParleyError } from '../chat/parley-error.js';

const codeOfStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'bad_request',
  413: 'too_large',
  415: 'bad_request',
  429: 'rate_limited',
};

/**
 * The one place HTTP turns errors into responses: a ParleyError keeps its
 * code; Fastify's own 4xx (bad JSON, body too large) map by status; anything
 * else is a 500 `internal` with no details, which go to the log.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorResponse(error);
  // A refused write during a storage outage is expected and retried; the outage is logged once as an error elsewhere.
  if (status >= 500) request.log[status === 503 ? 'warn' : 'error']({ err: error }, 'request failed');
  const retryAfterMs = body.error.retryAfterMs;
  if (retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  void reply.status(status).send(body);
}

function errorResponse(error: FastifyError | Error): { status: number; body: HttpErrorBody } {
  if (error instanceof ParleyError) {
    const retry = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
    return { status: httpStatusOf[error.code], body: { error: { code: error.code, message: error.message, ...retry } } };
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  const code = codeOfStatus[status];
  if (status >= 500 || code === undefined) {
    return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
  }
  return { status, body: { error: { code, message: error.message } } };
}

export function handleNotFound(_request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({ error: { code: 'not_found', message: 'no such route' } } satisfies HttpErrorBody);
}
