/**
 * A message's `at`: the clock's reading, but never before the newest message
 * of its conversation. A wall clock stepped back (by NTP, an operator, a VM
 * restored from a snapshot) must not make times in a conversation go
 * backwards; seq stays the order, and `at` agrees with it. Every store calls
 * this inside the transaction that assigns the seq.
 */
export function messageTime(clockAt: number, previousAt: number | undefined): number {
  return previousAt === undefined ? clockAt : Math.max(clockAt, previousAt);
}
