import { randomBytes } from 'node:crypto';
import { mapConcurrent, range } from '../setup/map-concurrent.js';
import type { BenchStore } from '@parley/server/bench-store';

export interface StoreMember {
  userId: string;
  deviceId: string;
}

/** A direct conversation between two users of one device each; only the sender appends. */
export interface StorePair {
  conversationId: string;
  sender: StoreMember;
  receiver: StoreMember;
}

/** The server's default; each user here has one device. */
const maxDevicesPerUser = 5;

/** The shape of the server's ids (96 random bits), so rows and index entries have their real size. */
const serverStyleId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** Writes `count` pairs straight into the store: no HTTP and no argon2, so setup takes seconds, not minutes. */
export function storePairs(
  store: BenchStore,
  count: number,
  concurrency: number,
  onProgress: (done: number, total: number) => void,
): Promise<StorePair[]> {
  return mapConcurrent(
    range(count),
    concurrency,
    async (index) => {
      const [sender, receiver] = await Promise.all([storeMember(store, `s${index}`), storeMember(store, `r${index}`)]);
      const { conversation } = await store.openDirectConversation({
        id: serverStyleId('c'),
        userIds: [sender.userId, receiver.userId],
        createdBy: sender.userId,
        createdAt: Date.now(),
      });
      return { conversationId: conversation.id, sender, receiver };
    },
    onProgress,
  );
}

async function storeMember(store: BenchStore, username: string): Promise<StoreMember> {
  const createdAt = Date.now();
  // Nobody logs in: the hash is never checked.
  const user = await store.createUser({ id: serverStyleId('u'), username, displayName: username, passwordHash: '-', createdAt });
  const device = await store.createDevice(
    { id: serverStyleId('d'), userId: user.id, name: 'parley-bench', tokenHash: randomBytes(32), createdAt },
    maxDevicesPerUser,
  );
  return { userId: user.id, deviceId: device.id };
}
