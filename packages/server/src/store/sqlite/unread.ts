/**
 * A member's unread count as an SQL expression, for every query that shows
 * one (the conversation list, the push badge): the messages past both the
 * read seq and the join (history from before the join was never theirs to
 * read), other than their own and those withheld from them. `member` is the
 * alias of a `members` row in the outer query.
 */
export function unreadOf(member: string): string {
  return `(SELECT count(*) FROM messages unread_x
           WHERE unread_x.conversation_id = ${member}.conversation_id
             AND unread_x.seq > max(${member}.read_seq, ${member}.joined_after_seq)
             AND unread_x.sender_id <> ${member}.user_id AND unread_x.withheld = 0)`;
}
