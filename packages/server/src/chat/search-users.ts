import type { ChatContext } from './chat-context.js';
import type { User } from './model.js';
import type { AccountStore } from './store-port.js';

const searchResultsMax = 20;

export function searchUsers(context: ChatContext<AccountStore>, query: string): Promise<User[]> {
  return context.store.searchUsers(query, searchResultsMax);
}
