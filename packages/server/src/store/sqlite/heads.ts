/**
 * The head of a stream (its newest pos) and of a conversation (its newest
 * seq) are read from the rows themselves, not kept as counters. A counter
 * lives on the user's or conversation's row, a page of its own: bumping it
 * dirtied one more page per recipient per message, and every dirty page is
 * written whole to the WAL at commit. The newest row is one index seek away,
 * on a page the insert dirties anyway.
 *
 * These are SQL expressions to embed in a statement; the argument is an SQL
 * expression too (a column of the outer query or a named parameter), and must
 * be qualified so it cannot resolve to the subquery's own table.
 */

/** The newest seq of conversation `conversationId`; 0 before its first message. Messages are never deleted. */
export function lastSeqOf(conversationId: string): string {
  return `(SELECT coalesce(max(head_m.seq), 0) FROM messages head_m WHERE head_m.conversation_id = ${conversationId})`;
}

/**
 * The newest pos of user `userId`'s stream. Compaction deletes events up to
 * the stream's floor, all of them when every device had acked the last one,
 * so the floor stands in for the newest row then. NULL for an unknown user.
 */
export function lastPosOf(userId: string): string {
  return `max(
    (SELECT head_u.stream_floor FROM users head_u WHERE head_u.id = ${userId}),
    coalesce((SELECT max(head_e.pos) FROM events head_e WHERE head_e.user_id = ${userId}), 0))`;
}
