import type { ChatContext } from './chat-context.js';
import { loginWaitMs } from './login-throttle-rule.js';
import { ParleyError } from './parley-error.js';
import type { LoginFailureStore } from './store-port.js';

export interface ThrottledAttempt {
  /** What the failures count against: the client's address, and the account when one is named. */
  keys: string[];
  /** Cleared on success: the account's count (an address keeps its count, or a success would reset guessing). */
  clearOnSuccess?: string;
}

/**
 * Runs a login attempt under the login throttle: refused with `rate_limited`
 * (and how long to wait) while any key must still wait; a wrong credential
 * (`unauthorized`) counts a failure against every key. The counts live in the
 * store, so in a cluster every node throttles the same guesses.
 */
export async function throttleLogin<T>(
  context: ChatContext<LoginFailureStore>,
  attempt: ThrottledAttempt,
  logIn: () => Promise<T>,
): Promise<T> {
  const failures = await context.store.loginFailures(attempt.keys);
  const now = context.clock.now();
  const waitMs = Math.max(0, ...attempt.keys.map((key) => loginWaitMs(failures.get(key), context.limits.loginFailuresFree, now)));
  if (waitMs > 0) throw new ParleyError('rate_limited', 'too many failed logins; wait before trying again', waitMs);
  let result: T;
  try {
    result = await logIn();
  } catch (error) {
    if (error instanceof ParleyError && error.code === 'unauthorized') await context.store.recordLoginFailure(attempt.keys, now);
    throw error;
  }
  if (attempt.clearOnSuccess !== undefined) await context.store.clearLoginFailures(attempt.clearOnSuccess);
  return result;
}
