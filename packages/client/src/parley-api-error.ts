import { errorCodes, type ErrorCode } from '@parley/protocol';

/** A refusal from the HTTP API: the protocol's error code, the HTTP status and the server's message. */
export class ParleyApiError extends Error {
  override readonly name = 'ParleyApiError';

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    /** How long to wait before trying again, for `rate_limited`. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Reads an error response; a body that is not a Parley error still gives a coded error. */
  static async fromResponse(response: Response): Promise<ParleyApiError> {
    const body = await response.json().then(
      (value: unknown) => value,
      () => undefined,
    );
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const code = errorCodes.find((known) => known === error.code) ?? codeOfStatus(response.status);
    const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status} ${response.statusText}`;
    const retryAfterMs = typeof error.retryAfterMs === 'number' ? error.retryAfterMs : retryAfterHeaderMs(response);
    return new ParleyApiError(code, response.status, message, retryAfterMs);
  }
}

function codeOfStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'too_large',
    429: 'rate_limited',
    503: 'unavailable',
  };
  return byStatus[status] ?? (status < 500 ? 'bad_request' : 'internal');
}

/** `Retry-After` in seconds (the HTTP-date form is not used by Parley servers). */
function retryAfterHeaderMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
