import { createHash } from 'node:crypto';

/**
 * The Web Push `Topic` header (RFC 8030 §5.4): at most 32 characters of the
 * URL-safe base64 alphabet. A conversation's collapse key is hashed into it,
 * which also keeps the conversation id out of the push service's sight.
 */
export function webPushTopic(collapseKey: string): string {
  return createHash('sha256').update(collapseKey).digest('base64url').slice(0, 32);
}
