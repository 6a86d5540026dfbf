import type { ConversationSummaryView, MessageView } from '@parley/protocol';
import { parseClientState, type ClientState, type ClientStorage } from './client-storage.js';

export interface IndexedDbStorageOptions {
  /** Newest messages kept per conversation; older ones are dropped on save (the server has them). Default 200. */
  recentMessagesMax?: number;
}

const stateStore = 'state';
const messageStore = 'messages';
const conversationStore = 'conversations';
const stateKey = 'client';

/**
 * Keeps the client state, and a cache of the conversation list and each
 * conversation's recent messages, in one IndexedDB database (browsers only).
 * A reload reads them back, so an app shows what it showed before at once and
 * the client resumes from its saved pos instead of resyncing.
 *
 * `save` resolves when IndexedDB has committed the transaction (its
 * `complete` event, durability `strict`), so a pos is acked only after it is
 * on disk. The message cache is a copy of what the server keeps: it is
 * bounded per conversation and may be cleared at any time.
 */
export class IndexedDbStorage implements ClientStorage {
  private readonly recentMessagesMax: number;

  private constructor(
    private readonly database: IDBDatabase,
    readonly name: string,
    options: IndexedDbStorageOptions,
  ) {
    this.recentMessagesMax = options.recentMessagesMax ?? 200;
  }

  /** Opens (or creates) the database `name`; one per device, so two accounts never share a cursor. */
  static async open(name: string, options: IndexedDbStorageOptions = {}): Promise<IndexedDbStorage> {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const database = request.result;
      database.createObjectStore(stateStore);
      database.createObjectStore(messageStore, { keyPath: ['conversation', 'seq'] });
      database.createObjectStore(conversationStore, { keyPath: 'id' });
    };
    const database = await settled(request);
    return new IndexedDbStorage(database, name, options);
  }

  /** Deletes the database `name` and everything in it (on log-out). */
  static async destroy(name: string): Promise<void> {
    await settled(indexedDB.deleteDatabase(name));
  }

  async load(): Promise<ClientState | undefined> {
    const stored = await settled(this.database.transaction(stateStore).objectStore(stateStore).get(stateKey));
    return stored === undefined ? undefined : parseClientState(stored);
  }

  async save(state: ClientState): Promise<void> {
    const transaction = this.database.transaction(stateStore, 'readwrite', { durability: 'strict' });
    transaction.objectStore(stateStore).put(state, stateKey);
    await committed(transaction);
  }

  /** The cached conversation list, as last saved. */
  async conversations(): Promise<ConversationSummaryView[]> {
    const list = await settled(this.database.transaction(conversationStore).objectStore(conversationStore).getAll());
    return list as ConversationSummaryView[];
  }

  /** Replaces the cached conversation list. */
  async saveConversations(conversations: ConversationSummaryView[]): Promise<void> {
    const transaction = this.database.transaction(conversationStore, 'readwrite');
    const store = transaction.objectStore(conversationStore);
    store.clear();
    for (const conversation of conversations) store.put(conversation);
    await committed(transaction);
  }

  /** The newest cached messages of a conversation, at most `limit`, in ascending seq. */
  async recentMessages(conversation: string, limit = this.recentMessagesMax): Promise<MessageView[]> {
    // One request for all of them: the cache holds about `recentMessagesMax` per conversation, a cursor would take a task per message.
    const store = this.database.transaction(messageStore).objectStore(messageStore);
    const messages = (await settled(store.getAll(rangeOf(conversation)))) as MessageView[];
    return messages.slice(-limit);
  }

  /** Adds messages to the cache, then drops the oldest of each conversation past `recentMessagesMax`. */
  async saveMessages(messages: MessageView[]): Promise<void> {
    if (messages.length === 0) return;
    const transaction = this.database.transaction(messageStore, 'readwrite');
    const store = transaction.objectStore(messageStore);
    for (const message of messages) store.put(message);
    for (const conversation of new Set(messages.map((message) => message.conversation))) {
      const keys = store.getAllKeys(rangeOf(conversation));
      keys.onsuccess = () => {
        const excess = keys.result.length - this.recentMessagesMax;
        if (excess > 0) store.delete(IDBKeyRange.bound(keys.result[0], keys.result[excess - 1]));
      };
    }
    await committed(transaction);
  }

  close(): void {
    this.database.close();
  }
}

function rangeOf(conversation: string): IDBKeyRange {
  return IDBKeyRange.bound([conversation, 0], [conversation, Number.MAX_SAFE_INTEGER]);
}

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}
