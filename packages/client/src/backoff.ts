import { reconnectBackoff } from '@parley/protocol';

/**
 * The wait before reconnect attempt number `attempt` (0 for the first retry):
 * exponential with full jitter, `random() * min(cap, initial * 2^attempt)`.
 * Full jitter spreads a crowd of clients that lost the same server over the
 * whole window, so they do not all come back in the same millisecond.
 */
export function reconnectDelayMs(attempt: number, random: () => number, maxDelayMs: number = reconnectBackoff.maxDelayMs): number {
  const ceilingMs = Math.min(
    maxDelayMs,
    reconnectBackoff.initialDelayMs * 2 ** Math.min(attempt, 30),
  );
  return Math.floor(random() * ceilingMs);
}
