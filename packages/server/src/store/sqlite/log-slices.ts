/**
 * The logs (event-log.ts, message-log.ts) are moved a slice at a time, one
 * slice every `1 / logSlices` of a second: each row stays in its log about a
 * second, so a page of `events` or `messages` takes a second's worth of a
 * stream's or a conversation's rows in one write, while no single move holds
 * the event loop for more than a slice's share.
 */
export const logSlices = 16;

/** The slice of a row, from its key (a user id or a conversation id): FNV-1a, folded. */
export function sliceOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % logSlices;
}
