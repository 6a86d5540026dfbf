import { IndexedDbStorage, ParleyClient } from '@parley/client';
import { ChatStore } from './chat-store.js';
import { databaseNameOf, type SavedLogin } from './saved-login.js';

/** Opens this device's storage and client and starts the store: the cached list shows before the socket is up. */
export async function openSession(login: SavedLogin): Promise<ChatStore> {
  const storage = await IndexedDbStorage.open(databaseNameOf(login));
  const client = new ParleyClient({ url: location.origin, token: login.token, user: login.userId, storage });
  const store = new ChatStore(client, storage, { id: login.userId, username: login.username, displayName: login.displayName });
  await store.start();
  return store;
}

const shutting = new WeakMap<ChatStore, Promise<void>>();

/**
 * Closes the client and the storage, keeping what is stored (another tab or
 * a reload resumes from it). Once per store: the session may end from two
 * sides at once (a revocation and the screen that held it going away).
 */
export function shutSession(store: ChatStore): Promise<void> {
  let shut = shutting.get(store);
  if (shut === undefined) {
    store.stop();
    shut = store.client.close().finally(() => store.storage.close());
    shutting.set(store, shut);
  }
  return shut;
}

/** Shuts the session and deletes what this device kept locally: its token no longer works (log-out, revocation). */
export async function closeSession(store: ChatStore): Promise<void> {
  await shutSession(store).finally(() => IndexedDbStorage.destroy(store.storage.name));
}
