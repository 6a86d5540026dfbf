import type { AccountStore, UserPatch } from './store-port.js';
import type { Caller, ChatContext } from './chat-context.js';
import type { User } from './model.js';

export function updateProfile(context: ChatContext<AccountStore>, caller: Caller, patch: UserPatch): Promise<User> {
  return context.store.updateUser(caller.userId, patch);
}
