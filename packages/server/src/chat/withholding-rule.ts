import type { ConversationKind } from '@parley/protocol';

/**
 * A message is withheld when it goes to a direct conversation whose other
 * member blocked its sender: it is stored and answered `sent`, but only the
 * sender's devices ever see it, not even after an unblock. Groups are never
 * withheld: a block hides presence and typing there, not messages.
 */
export function isWithheld(kind: ConversationKind, memberIds: readonly string[], senderId: string, blockersOfSender: readonly string[]): boolean {
  return kind === 'direct' && memberIds.some((memberId) => memberId !== senderId && blockersOfSender.includes(memberId));
}
