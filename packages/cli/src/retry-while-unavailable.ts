import { ParleyApiError } from '@parley/client';

/** How long to wait when an `unavailable` answer names no time. */
const retryDelayDefaultMs = 1_000;

/**
 * `attempt()`, run again while the server answers `unavailable` (its store
 * cannot write just now, protocol E1a: retryable by definition), waiting as
 * long as the server asks, for as long as the wait ends before `deadline` (a
 * `Date.now()` time); then the last error stands. A storage hiccup should not
 * turn a message the person typed into an error they must retype.
 */
export async function retryWhileUnavailable<T>(attempt: () => Promise<T>, deadline: number, onWait: (delayMs: number) => void): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ParleyApiError) || error.code !== 'unavailable') throw error;
      const delayMs = error.retryAfterMs ?? retryDelayDefaultMs;
      if (Date.now() + delayMs > deadline) throw error;
      onWait(delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** What to tell the person while waiting. */
export function unavailableNote(delayMs: number): string {
  return `the server cannot write just now (storage busy or full); trying again in ${Math.ceil(delayMs / 1000)} s`;
}
