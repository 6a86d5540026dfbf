import { ParleyApiError } from '@parley/client';

/** A sentence for a failed call, from the server's error when there is one. */
export function errorText(error: unknown): string {
  if (error instanceof ParleyApiError) return error.message;
  if (error instanceof TypeError) return 'The server cannot be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
