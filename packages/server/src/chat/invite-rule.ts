/**
 * The rule of registration by invite, for any adapter to run inside its
 * transaction: a code admits as many accounts as it has uses, until it
 * expires; a refused registration spends nothing.
 */
import { createUser, type AccountTransaction } from './account-rules.js';
import type { User } from './model.js';
import { ParleyError } from './parley-error.js';
import type { NewUser } from './store-port.js';

/** The invite rows registration reads and writes. */
export interface InviteTransaction {
  invite(codeHash: Buffer): { usesLeft: number; expiresAt: number | null } | undefined;
  spendInviteUse(codeHash: Buffer): void;
}

/** A wrong, used-up or expired code (at `user.createdAt`) is `forbidden`; a taken username `conflict`, with the use not spent. */
export function createInvitedUser(transaction: AccountTransaction & InviteTransaction, user: NewUser, codeHash: Buffer): User {
  const invite = transaction.invite(codeHash);
  if (invite === undefined || invite.usesLeft <= 0 || (invite.expiresAt !== null && invite.expiresAt <= user.createdAt)) {
    throw new ParleyError('forbidden', 'the invite code is wrong, used up or expired');
  }
  const created = createUser(transaction, user);
  transaction.spendInviteUse(codeHash);
  return created;
}
