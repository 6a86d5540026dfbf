import type { ChatContext } from './chat-context.js';
import { hashInviteCode } from './create-invite.js';
import { newUserId } from './ids.js';
import type { User } from './model.js';
import { ParleyError } from './parley-error.js';
import { hashPassword } from './passwords.js';
import type { AccountStore, InviteStore } from './store-port.js';

/** Who may create an account: anyone, nobody (the admin closed sign-ups), or whoever holds an invite code. */
export type RegistrationMode = 'open' | 'closed' | 'invite';

export interface Registration {
  username: string;
  password: string;
  displayName?: string | undefined;
  /** Normalised (upper case, no dashes); needed when registration is by invite, ignored otherwise. */
  inviteCode?: string | undefined;
}

/**
 * Creates a user, if `mode` lets this registration in. A taken username is
 * `conflict` (from the store, so two racing registrations cannot both win);
 * closed registration, or a missing or spent invite, is `forbidden`.
 */
export async function registerAccount(context: ChatContext<AccountStore & InviteStore>, registration: Registration, mode: RegistrationMode): Promise<User> {
  if (mode === 'closed') throw new ParleyError('forbidden', 'registration is closed on this server: ask its admin for an account');
  if (mode === 'invite' && registration.inviteCode === undefined) {
    throw new ParleyError('forbidden', 'this server admits new accounts by invite only: register with an invite code (inviteCode)');
  }
  const passwordHash = await hashPassword(registration.password);
  const user = {
    id: newUserId(),
    username: registration.username,
    displayName: registration.displayName ?? registration.username,
    passwordHash,
    createdAt: context.clock.now(),
  };
  if (mode === 'invite' && registration.inviteCode !== undefined) {
    return context.store.createInvitedUser(user, hashInviteCode(registration.inviteCode));
  }
  return context.store.createUser(user);
}
