/**
 * Push targets as stored: JSON with a fixed key order, so the same target
 * always encodes to the same text and a removal can compare by text.
 */
import type { PushTarget } from '../../push/push-model.js';
import { assert } from '../../lib/assert.js';

export function encodePushTarget(target: PushTarget): string {
  switch (target.provider) {
    case 'fcm':
      return JSON.stringify({ provider: 'fcm', token: target.token });
    case 'apns':
      return JSON.stringify({ provider: 'apns', token: target.token, topic: target.topic, environment: target.environment });
    case 'webpush':
      return JSON.stringify({
        provider: 'webpush',
        endpoint: target.endpoint,
        keys: { p256dh: target.keys.p256dh, auth: target.keys.auth },
      });
    case 'webhook':
      return JSON.stringify({ provider: 'webhook', url: target.url });
  }
}

/** Only this module writes the column, so a row that does not decode is a bug: assert. */
export function decodePushTarget(json: string): PushTarget {
  const value: unknown = JSON.parse(json);
  assert(typeof value === 'object' && value !== null && 'provider' in value, 'a stored push target is an object');
  const provider = value.provider;
  assert(
    provider === 'fcm' || provider === 'apns' || provider === 'webpush' || provider === 'webhook',
    `stored push provider '${String(provider)}' is unknown`,
  );
  const target = value as PushTarget;
  assert(encodePushTarget(target) === json, 'a stored push target decodes to what was stored');
  return target;
}
