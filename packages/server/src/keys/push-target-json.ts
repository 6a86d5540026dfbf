/**
 * Push targets as stored: JSON with a fixed key order (so the same target
 * always hashes the same), sealed at rest like message bodies.
 */
import { createHash } from 'node:crypto';
import { addressOf, type PushTarget } from '../chat/push-model.js';
import type { RowCipher } from './row-cipher.js';
import { assert } from '../lib/assert.js';

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

/** A registration's target as stored: sealed for its device, with hashes for lookups that must not need the plaintext. */
export interface StoredPushTarget {
  address_hash: Buffer;
  target_hash: Buffer;
  target: Buffer;
  key_id: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const targetBinding = (deviceId: string) => `push target of ${deviceId}`;

export const hashPushTarget = (target: PushTarget): Buffer => sha256(encodePushTarget(target));

export function sealPushTarget(cipher: RowCipher, deviceId: string, target: PushTarget): StoredPushTarget {
  const { value, keyId } = cipher.seal(encodePushTarget(target), targetBinding(deviceId));
  return { address_hash: sha256(addressOf(target)), target_hash: hashPushTarget(target), target: value, key_id: keyId };
}

export function openPushTarget(cipher: RowCipher, deviceId: string, row: { target: Buffer; key_id: number }): PushTarget {
  return decodePushTarget(cipher.open(row.target, row.key_id, targetBinding(deviceId)));
}

/** The same target sealed again under the active data key (`parley keys reencrypt`). */
export function resealPushTarget(cipher: RowCipher, deviceId: string, row: { target: Buffer; key_id: number }): { target: Buffer; key_id: number } {
  const binding = targetBinding(deviceId);
  const { value, keyId } = cipher.seal(cipher.open(row.target, row.key_id, binding), binding);
  return { target: value, key_id: keyId };
}

/** Only this module writes the column, so a row that does not decode is a bug: assert. */
function decodePushTarget(json: string): PushTarget {
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
