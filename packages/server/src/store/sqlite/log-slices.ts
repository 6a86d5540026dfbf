/**
 * The logs (event-log.ts, message-log.ts) are moved a slice at a time, one
 * slice every `1 / logSlices` of a second: each row stays in its log about a
 * second, so a page of `events` or `messages` takes a second's worth of a
 * stream's or a conversation's rows in one write, while no single move holds
 * the event loop for more than a slice's share. Devices' acked positions are
 * written back by the same slices (device-acks.ts).
 */
export const logSlices = 16;

/** base64url's characters in byte order, the order of SQLite's binary collation. */
const idCharacters = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const charactersPerSlice = idCharacters.length / logSlices;
const rankOfCode = new Int8Array(128).fill(-1);
for (let rank = 0; rank < idCharacters.length; rank++) rankOfCode[idCharacters.charCodeAt(rank)] = rank;

/**
 * The slice of a row, from its key (a user, device or conversation id).
 *
 * The server's ids are a two-character prefix and random base64url
 * (chat/ids.ts), so the third character alone splits a table's keys into 16
 * ranges that follow the key order: a slice's rows sit together in the
 * B-trees keyed by them, and its move (or write-back) dirties a sixteenth of
 * their pages. A hash spread every slice over all the pages, and each page was
 * written once per slice (docs/performance.md, "fifth pass"). A key too short
 * for that falls back to a hash.
 */
export function sliceOf(key: string): number {
  const code = key.charCodeAt(2);
  const rank = code < rankOfCode.length ? (rankOfCode[code] ?? -1) : -1;
  if (rank >= 0) return Math.floor(rank / charactersPerSlice);
  return hashSlice(key);
}

/** FNV-1a, folded. */
function hashSlice(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % logSlices;
}
