import type { Target } from '../process/targets.js';
import { createAccounts, linkDevices, runPrefix, type Account } from '../setup/seed-accounts.js';
import { seconds, type BenchContext } from './bench-context.js';

export interface Devices {
  accounts: Account[];
  /** One token per device, `count` in all. */
  tokens: string[];
  seconds: number;
}

/**
 * `count` devices, `devicesPerUser` to a user: the first of each user by
 * password login (argon2 on the server), the others by link code (no hash),
 * which makes thousands of devices affordable.
 */
export async function makeDevices(context: BenchContext, target: Target, count: number, devicesPerUser: number): Promise<Devices> {
  const startedMs = performance.now();
  const users = Math.ceil(count / devicesPerUser);
  const seed = { url: target.url, concurrency: context.options.setupConcurrency };
  const accounts = await createAccounts(users, runPrefix(), {
    ...seed,
    onProgress: (done, total) => context.progress.update(`[setup] ${done}/${total} users registered and logged in`),
  });
  await linkDevices(accounts, devicesPerUser - 1, {
    ...seed,
    onProgress: (done, total) => context.progress.update(`[setup] devices linked for ${done}/${total} users`),
  });
  const tokens = accounts.flatMap((account) => account.tokens).slice(0, count);
  context.progress.done(`[setup] ${tokens.length} devices of ${users} users in ${seconds(startedMs).toFixed(1)} s`);
  return { accounts, tokens, seconds: seconds(startedMs) };
}
