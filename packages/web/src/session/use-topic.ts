import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ChatStore } from './chat-store.js';
import type { Topic } from './topics.js';

export const ChatStoreContext = createContext<ChatStore | undefined>(undefined);

/** The signed-in session's store; only screens inside a session use it. */
export function useChatStore(): ChatStore {
  const store = useContext(ChatStoreContext);
  if (store === undefined) throw new Error('useChatStore outside a session');
  return store;
}

/** Re-renders the caller when `topic` changes; the data itself is read from the store. */
export function useTopic(store: ChatStore, topic: Topic): number {
  const subscribe = useCallback((listener: () => void) => store.topics.subscribe(topic, listener), [store, topic]);
  return useSyncExternalStore(subscribe, () => store.topics.version(topic));
}
