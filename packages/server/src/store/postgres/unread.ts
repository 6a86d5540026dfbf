/**
 * A member's unread count as an SQL expression, as the conversation list and
 * the push badge count it: the messages past both the read seq and the join,
 * other than their own and those withheld from them. `member` is the alias of
 * a `members` row in the outer query.
 */
export function unreadOf(member: string): string {
  return `(SELECT count(*) FROM messages unread_x
           WHERE unread_x.conversation_id = ${member}.conversation_id
             AND unread_x.seq > greatest(${member}.read_seq, ${member}.joined_after_seq)
             AND unread_x.sender_id <> ${member}.user_id AND NOT unread_x.withheld)`;
}
