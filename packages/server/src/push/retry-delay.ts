/** A retry never comes sooner than this, whatever `Retry-After` says: a loop of instant retries helps no one. */
export const retryDelayMinMs = 1_000;
/** A `Retry-After` is honoured up to this; a service asking for more is asked again then. */
export const retryAfterMaxMs = 60 * 60 * 1000;

export interface RetryPolicy {
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * The wait before attempt `attempts + 1`: the service's `Retry-After` when it
 * gave one, else exponential backoff (base · 2^(attempts−1), capped) with
 * equal jitter, so jobs that failed together do not all come back together.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs: number | undefined, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, retryDelayMinMs), retryAfterMaxMs);
  const exponential = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
  return Math.max(retryDelayMinMs, Math.round(exponential / 2 + (random() * exponential) / 2));
}
