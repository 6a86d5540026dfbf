import type { ErrorCode } from '@parley/protocol';

/**
 * Why a `send` promise was rejected: the server refused the message (`code`
 * is its error code), or the client was closed first (`client_closed`; the
 * send stays in the stored outbox and goes out on the next connect).
 */
export class ParleySendError extends Error {
  override readonly name = 'ParleySendError';

  constructor(
    readonly code: ErrorCode | 'client_closed',
    message: string,
    /** The message id the send used. */
    readonly id: string,
    readonly conversation: string,
  ) {
    super(message);
  }
}
