import { hashDeviceToken, newDeviceToken } from '../chat/device-tokens.js';
import { newDeviceId, newUserId } from '../chat/ids.js';
import { hashPassword } from '../chat/passwords.js';
import { openStore } from '../open-store.js';
import { testStoreConfig } from './test-config.js';
import type { TestUser } from './test-api.js';

/**
 * Creates many users, each with one device, straight in the store `startApp`
 * opens on the data dir, before the server starts: registering a thousand
 * users over HTTP would spend most of a test on password hashing.
 */
export async function seedUsers(dataDir: string, count: number, prefix = 'seeded'): Promise<TestUser[]> {
  const store = await openStore(await testStoreConfig(dataDir));
  const passwordHash = await hashPassword('correct horse battery staple');
  try {
    return await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const username = `${prefix}${index}`;
        const user = await store.createUser({ id: newUserId(), username, displayName: username, passwordHash, createdAt: Date.now() });
        const token = newDeviceToken();
        const device = await store.createDevice(
          { id: newDeviceId(), userId: user.id, name: 'seeded', tokenHash: hashDeviceToken(token), createdAt: Date.now() },
          5,
        );
        return { token, userId: user.id, deviceId: device.id, username };
      }),
    );
  } finally {
    await store.close();
  }
}
