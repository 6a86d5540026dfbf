/**
 * Membership and metadata changes of a group. The store checks the caller's
 * rights inside the transaction that makes the change; these publish what it
 * appended.
 */
import type { Caller, ChatContext } from './chat-context.js';
import { publishAppended } from './publish-appended.js';
import type { MembershipStore } from './store-port.js';

export async function addMembers(context: ChatContext<MembershipStore>, caller: Caller, conversationId: string, userIds: string[]): Promise<void> {
  const { store, clock, limits } = context;
  publishAppended(context.bus, await store.addMembers(conversationId, caller.userId, userIds, clock.now(), limits.maxGroupSize));
}

/** Removes a member (admins), or leaves when the caller removes themself. */
export async function removeMember(context: ChatContext<MembershipStore>, caller: Caller, conversationId: string, userId: string): Promise<void> {
  publishAppended(context.bus, await context.store.removeMember(conversationId, caller.userId, userId));
}

export async function renameGroup(context: ChatContext<MembershipStore>, caller: Caller, conversationId: string, name: string): Promise<void> {
  publishAppended(context.bus, await context.store.renameGroup(conversationId, caller.userId, name));
}

export async function setAdmin(
  context: ChatContext<MembershipStore>,
  caller: Caller,
  conversationId: string,
  userId: string,
  admin: boolean,
): Promise<void> {
  publishAppended(context.bus, await context.store.setAdmin(conversationId, caller.userId, userId, admin));
}
