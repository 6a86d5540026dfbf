import type { IncomingHttpHeaders } from 'node:http';
import type { PushOutcome } from './push-provider.js';
import { parseRetryAfterMs } from './retry-after.js';
import { UnsafeEndpointError } from './safe-address.js';

/**
 * The outcome of an HTTP answer for the services that speak plain status
 * codes (Web Push, webhook): 2xx delivered; 404 and 410 the endpoint is gone;
 * 408, 429 and 5xx may pass, after `Retry-After` when given; anything else
 * (3xx included: redirects are not followed) is refused for good.
 */
export function outcomeOfStatus(status: number, headers: IncomingHttpHeaders, nowMs: number, detail: string): PushOutcome {
  const reason = `HTTP ${status}${detail === '' ? '' : `: ${detail.slice(0, 200)}`}`;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 404 || status === 410) return { kind: 'unregistered', reason };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(headers['retry-after'], nowMs);
    return { kind: 'retry', reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { kind: 'rejected', reason };
}

/** A request that did not get an answer: an unsafe endpoint is refused for good, anything else may pass. */
export function outcomeOfFailure(error: unknown): PushOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof UnsafeEndpointError && !error.transient) return { kind: 'rejected', reason };
  return { kind: 'retry', reason };
}
