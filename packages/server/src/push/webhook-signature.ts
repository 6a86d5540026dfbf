import { createHmac, timingSafeEqual } from 'node:crypto';

export const webhookSignatureHeader = 'x-parley-signature';
export const webhookTimestampHeader = 'x-parley-timestamp';
/** A receiver should refuse a timestamp further than this from its clock: it stops replays of old deliveries. */
export const webhookToleranceMs = 5 * 60 * 1000;

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"). The
 * timestamp (seconds since the epoch) is inside the signed string, so a
 * captured delivery cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** What a receiver does (and the tests' stand-in): recompute, compare in constant time, bound the age. */
export function verifyWebhook(
  secret: string,
  signature: string | undefined,
  timestamp: string | undefined,
  body: string,
  nowMs: number,
): boolean {
  if (signature === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(nowMs - seconds * 1000) > webhookToleranceMs) return false;
  const expected = Buffer.from(signWebhook(secret, seconds, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
