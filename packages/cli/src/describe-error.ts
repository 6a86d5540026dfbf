import { ParleyApiError, ParleySendError } from '@parley/client';
import { CliError } from './cli-error.js';

/** One line that tells the user what went wrong and, where there is one, what to do. */
export function describeError(error: unknown, command = 'parley'): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof ParleyApiError || error instanceof ParleySendError) {
    if (error.code === 'unauthorized') return `${error.message}: run ${command} login <username>`;
    if (error.code === 'rate_limited' && error instanceof ParleyApiError && error.retryAfterMs !== undefined) {
      return `${error.message}: try again in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    }
    if (error.code === 'conflict' && /devices/.test(error.message)) {
      return `this account has as many devices as the server allows: see them with ${command} devices and free one with ${command} devices revoke <device-id> on a device that is logged in`;
    }
    return `${error.message} (${error.code})`;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `cannot reach the server${cause}`;
  }
  return error instanceof Error ? error.message : String(error);
}
