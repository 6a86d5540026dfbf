import { ParleyError } from '../chat/parley-error.js';

/** The store could not do it now (a storage outage): the client may try again after `retryAfterMs`. */
export function isUnavailable(error: unknown): error is ParleyError {
  return error instanceof ParleyError && error.code === 'unavailable';
}
