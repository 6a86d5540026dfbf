import type { ChatContext } from './chat-context.js';
import type { User } from './model.js';
import { ParleyError } from './parley-error.js';

/** Another user's public profile, by id; `not_found` when there is no such user. */
export async function getUser(context: ChatContext, userId: string): Promise<User> {
  const user = await context.store.getUser(userId);
  if (user === undefined) throw new ParleyError('not_found', 'no such user');
  return user;
}
