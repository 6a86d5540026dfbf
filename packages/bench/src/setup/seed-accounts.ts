import { randomBytes } from 'node:crypto';
import { ParleyApi } from '@parley/client';
import { mapConcurrent, range } from './map-concurrent.js';

/** A user with one logged-in device, as the load drives it. */
export interface Account {
  userId: string;
  username: string;
  /** Device tokens: the first from the login, more from link codes. */
  tokens: string[];
}

export interface SeedOptions {
  url: string;
  /** Requests in flight; the server's argon2 runs on its thread pool. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

const password = 'parley-bench-password';

/** A prefix unique to this run, so runs against one long-lived server never collide on usernames. */
export function runPrefix(): string {
  return `b${randomBytes(4).toString('hex')}`;
}

/** Registers `count` users and logs in one device each (two argon2 hashes per user on the server). */
export function createAccounts(count: number, prefix: string, options: SeedOptions): Promise<Account[]> {
  return mapConcurrent(
    range(count),
    options.concurrency,
    async (index) => {
      const username = `${prefix}_${index}`;
      const api = new ParleyApi({ baseUrl: options.url });
      await api.register({ username, password });
      const session = await api.login({ username, password, deviceName: 'bench' });
      return { userId: session.user.id, username, tokens: [session.token] };
    },
    options.onProgress,
  );
}

/**
 * Adds devices to each account with link codes, which cost no password hash:
 * many devices are cheap to make this way. The server allows `maxDevices`
 * (default 5) per user and 5 link codes per user per minute.
 */
export async function linkDevices(accounts: Account[], extraPerAccount: number, options: SeedOptions): Promise<void> {
  if (extraPerAccount <= 0) return;
  await mapConcurrent(
    accounts,
    options.concurrency,
    async (account) => {
      const api = new ParleyApi({ baseUrl: options.url, token: account.tokens[0] });
      for (let index = 0; index < extraPerAccount; index++) {
        const { code } = await api.createLinkCode();
        const session = await new ParleyApi({ baseUrl: options.url }).login({ linkCode: code, deviceName: 'bench linked' });
        account.tokens.push(session.token);
      }
    },
    options.onProgress,
  );
}
