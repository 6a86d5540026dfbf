import type { ChatContext } from './chat-context.js';
import type { User } from './model.js';

const searchResultsMax = 20;

export function searchUsers(context: ChatContext, query: string): Promise<User[]> {
  return context.store.searchUsers(query, searchResultsMax);
}
