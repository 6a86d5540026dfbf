import type { ErrorFrame } from '@parley/protocol';
import { ParleyError } from '../chat/parley-error.js';

/**
 * Maps a failure to an error frame: the one place the WebSocket edge turns
 * errors into wire frames. Anything that is not a ParleyError is reported as
 * `internal` without its details, which go to the log instead.
 */
export function errorFrame(error: unknown, ref?: string): ErrorFrame {
  const base = ref === undefined ? {} : { ref };
  if (error instanceof ParleyError) {
    return {
      type: 'error',
      ...base,
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  return { type: 'error', ...base, code: 'internal', message: 'internal error' };
}
