import type { ErrorCode } from '@parley/protocol';

/**
 * The one error class for expected refusals. Its code is one of the protocol's
 * closed set; `gateway/wire.ts` maps it to an error frame and `http/error-handler.ts`
 * to an HTTP response. Anything thrown that is not a ParleyError is a bug or an
 * operating failure and surfaces as `internal`.
 */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
