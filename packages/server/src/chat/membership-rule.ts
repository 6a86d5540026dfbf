import { ParleyError } from './parley-error.js';

/** What the rule reads of a membership: whether the member left. */
export interface MembershipState {
  leftAtSeq: number | null;
}

/**
 * Who may act in a conversation: the one place this rule is written, used by
 * the use cases and by every store adapter inside its transactions. Someone
 * who never was a member gets `not_found`, so the conversation's existence is
 * not revealed; a former member gets `not_member`, unless `former: 'allow'`
 * (reading what they saw while they were a member).
 */
export function requireMembership<M extends MembershipState>(membership: M | undefined, former: 'allow' | 'refuse' = 'refuse'): M {
  if (membership === undefined) throw new ParleyError('not_found', 'no such conversation');
  if (membership.leftAtSeq !== null && former === 'refuse') {
    throw new ParleyError('not_member', 'you are no longer a member of this conversation');
  }
  return membership;
}
