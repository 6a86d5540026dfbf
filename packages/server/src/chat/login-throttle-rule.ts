/** Failed logins counted against one key (an account or an address). */
export interface LoginFailures {
  count: number;
  lastAtMs: number;
}

/** The longest a key is made to wait, however many failures it has. */
export const loginWaitMaxMs = 15 * 60 * 1000;

/**
 * How long an attempt with this key must still wait at `nowMs`: nothing for
 * the first `freeFailures` failures, then twice as long after each further
 * one (1 s, 2 s, 4 s … up to 15 min), counted from the last failure.
 */
export function loginWaitMs(failures: LoginFailures | undefined, freeFailures: number, nowMs: number): number {
  if (failures === undefined || failures.count < freeFailures) return 0;
  const delayMs = Math.min(loginWaitMaxMs, 1000 * 2 ** (failures.count - freeFailures));
  return Math.max(0, failures.lastAtMs + delayMs - nowMs);
}
