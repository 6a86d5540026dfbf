import type { MessageReceipts } from '@parley/client';
import { safeLine } from './terminal-safe.js';

/** How much of a message's text a status line repeats. */
const quotedTextMax = 40;

/**
 * The line that tells the sender how far their message got, with ticks as on
 * a phone (✓ sent, ✓✓ delivered, ✓✓ read; a terminal has no blue, so "read"
 * is said in words). In a group it names who has it and who read it, as far
 * as the client knows: the stream says when everyone has (then "everyone"
 * stands for members not known by name), who has it before that only while
 * the group is watched (`parley chat --group`).
 * Undefined when there is nothing to add to the ✓ on the message's own line.
 */
export function formatStatus(receipts: MessageReceipts, names: ReadonlyMap<string, string>, text: string | undefined, group: boolean): string | undefined {
  const quoted = text === undefined ? `seq ${receipts.seq}` : `"${truncate(text)}"`;
  const who = (users: string[]) => (users.length === 0 ? 'everyone' : users.map((user) => `@${safeLine(names.get(user) ?? user)}`).join(', '));
  if (!group) {
    if (receipts.status === 'sent') return undefined;
    return `✓✓ ${receipts.status}: ${quoted}`;
  }
  if (receipts.status === 'read') return `✓✓ read by ${who(receipts.readBy)}: ${quoted}`;
  if (receipts.status === 'sent' && receipts.deliveredTo.length === 0) return undefined;
  const ticks = receipts.status === 'delivered' ? '✓✓' : '✓';
  const read = receipts.readBy.length > 0 ? `, read by ${who(receipts.readBy)}` : '';
  return `${ticks} delivered to ${who(receipts.deliveredTo)}${read}: ${quoted}`;
}

function truncate(text: string): string {
  const line = safeLine(text.replace(/\s+/g, ' '));
  return line.length > quotedTextMax ? `${line.slice(0, quotedTextMax - 1)}…` : line;
}
