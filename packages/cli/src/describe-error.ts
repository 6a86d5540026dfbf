import { ParleyApiError, ParleySendError } from '@parley/client';
import { CliError } from './cli-error.js';

/** One line that tells the user what went wrong and, where there is one, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof ParleyApiError || error instanceof ParleySendError) {
    if (error.code === 'unauthorized') return `${error.message}: run parley login <username>`;
    if (error.code === 'rate_limited' && error instanceof ParleyApiError && error.retryAfterMs !== undefined) {
      return `${error.message}: try again in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    }
    return `${error.message} (${error.code})`;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `cannot reach the server${cause}`;
  }
  return error instanceof Error ? error.message : String(error);
}
