import { IndexedDbStorage, ParleyClient } from '@parley/client';
import { ChatStore } from './chat-store.js';
import { databaseNameOf, type SavedLogin } from './saved-login.js';

/** Opens this device's storage and client and starts the store: the cached list shows before the socket is up. */
export async function openSession(login: SavedLogin): Promise<ChatStore> {
  const storage = await IndexedDbStorage.open(databaseNameOf(login));
  const client = new ParleyClient({ url: location.origin, token: login.token, storage });
  const store = new ChatStore(client, storage, { id: login.userId, username: login.username, displayName: login.displayName });
  await store.start();
  return store;
}

/** Closes the client and the storage, keeping what is stored (another tab or a reload resumes from it). */
export async function shutSession(store: ChatStore): Promise<void> {
  store.stop();
  await store.client.close();
  store.storage.close();
}

/** Shuts the session and deletes what this device kept locally: its token no longer works (log-out, revocation). */
export async function closeSession(store: ChatStore): Promise<void> {
  await shutSession(store).finally(() => IndexedDbStorage.destroy(store.storage.name));
}
