import type { ChatContext } from './chat-context.js';
import { newUserId } from './ids.js';
import type { User } from './model.js';
import { hashPassword } from './passwords.js';
import type { AccountStore } from './store-port.js';

export interface Registration {
  username: string;
  password: string;
  displayName?: string | undefined;
}

/** Creates a user. A taken username is `conflict` (from the store, so two racing registrations cannot both win). */
export async function registerAccount(context: ChatContext<AccountStore>, registration: Registration): Promise<User> {
  const passwordHash = await hashPassword(registration.password);
  return context.store.createUser({
    id: newUserId(),
    username: registration.username,
    displayName: registration.displayName ?? registration.username,
    passwordHash,
    createdAt: context.clock.now(),
  });
}
