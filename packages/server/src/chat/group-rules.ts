/**
 * The rules of groups, pure: who may change a group, how large it may grow,
 * and that it always keeps an admin. `group-changes.ts` applies them inside
 * an adapter's transaction.
 */
import { assert } from '../lib/assert.js';
import { requireMembership } from './membership-rule.js';
import type { Conversation, Member } from './model.js';
import { ParleyError } from './parley-error.js';

/** The members a new group starts with: its creator and the others, each once; 2 to `maxGroupSize`. */
export function initialMembers(createdBy: string, memberIds: readonly string[], maxGroupSize: number): string[] {
  const members = [...new Set([createdBy, ...memberIds])];
  if (members.length < 2 || members.length > maxGroupSize) {
    throw new ParleyError('bad_request', `a group has 2 to ${maxGroupSize} members, counting its creator`);
  }
  return members;
}

/** Every id names a user: `known` of the `count` distinct ids did. */
export function requireKnownUsers(known: number, count: number): void {
  assert(known <= count, 'distinct ids match at most one user each');
  if (known < count) throw new ParleyError('not_found', 'no such user');
}

/**
 * The caller's right to change a conversation, checked in the order that
 * reveals nothing to outsiders: a stranger learns neither that the
 * conversation exists nor that it is direct. A direct conversation's members
 * never change; `admin` changes are for admins.
 */
export function requireGroupRight(conversation: Conversation | undefined, caller: Member | undefined, needs: 'member' | 'admin'): Conversation {
  const membership = requireMembership(conversation === undefined ? undefined : caller);
  assert(conversation !== undefined, 'requireMembership refuses a missing conversation');
  if (conversation.kind !== 'group') throw new ParleyError('bad_request', 'the members of a direct conversation cannot change');
  if (needs === 'admin' && membership.role !== 'admin') throw new ParleyError('forbidden', 'only an admin of the group may do this');
  return conversation;
}

/** The member a change is about must be a current member. */
export function requireCurrentMember(member: Member | undefined): Member {
  if (member === undefined || member.leftAtSeq !== null) throw new ParleyError('not_found', 'no such member');
  return member;
}

/** Adding `added` members to `current` ones must not pass `maxGroupSize`. */
export function requireRoomFor(current: number, added: number, maxGroupSize: number): void {
  if (current + added > maxGroupSize) throw new ParleyError('bad_request', `a group has at most ${maxGroupSize} members`);
}

/** Revoking an admin must leave the group one. */
export function requireAnotherAdmin(currentMembers: readonly Member[]): void {
  if (currentMembers.filter((member) => member.role === 'admin').length <= 1) {
    throw new ParleyError('conflict', 'a group needs at least one admin; make another member admin first');
  }
}

/**
 * Who becomes admin when the last admin went and members remain: the member
 * who joined first (then by user id). Undefined when an admin remains or no
 * one does.
 */
export function successorAdmin(currentMembers: readonly Member[]): string | undefined {
  if (currentMembers.length === 0 || currentMembers.some((member) => member.role === 'admin')) return undefined;
  const [first] = [...currentMembers].sort((a, b) => a.joinedAt - b.joinedAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return first?.userId;
}
