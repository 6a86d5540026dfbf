import { ParleyApi } from '@parley/client';
import { AckBatcher } from '../load/ack-batcher.js';
import { LeanSocket } from '../load/lean-socket.js';
import { SendFrames } from '../load/send-frames.js';
import type { Target } from '../process/targets.js';
import { mapConcurrent } from '../setup/map-concurrent.js';
import { createAccounts, runPrefix, type Account } from '../setup/seed-accounts.js';
import type { BenchContext } from './bench-context.js';
import { connectMany } from './connect-many.js';
import { defaultConnectConcurrency } from './measure-load.js';

/**
 * Puts `tokens`' devices `missed` events behind: their users are spread over
 * groups, each group has a seeder (a user outside the storm) as creator;
 * every device connects once, syncs and acks, goes away, and then each seeder
 * sends `missed` messages to its group. Every user's stream gets `missed`
 * message events that none of its devices has seen.
 */
export async function putDevicesBehind(context: BenchContext, target: Target, accounts: Account[], tokens: string[], missed: number): Promise<number> {
  const groupSize = Math.max(1, Math.min(context.options.members - 1, accounts.length));
  const groupCount = Math.ceil(accounts.length / groupSize);
  const seeders = await createAccounts(groupCount, runPrefix(), { url: target.url, concurrency: context.options.setupConcurrency });
  const conversations = await mapConcurrent(seeders, context.options.setupConcurrency, async (seeder, index) => {
    const members = accounts.slice(index * groupSize, (index + 1) * groupSize).map((account) => account.userId);
    const group = await new ParleyApi({ baseUrl: target.url, token: seeder.tokens[0] }).createGroup(`storm ${index}`, members);
    return group.id;
  });
  const acks = new AckBatcher();
  const first = await connectMany({ url: target.url, tokens, concurrency: context.options.connectConcurrency ?? defaultConnectConcurrency, sourceAddresses: [], acks, syncTimeoutMs: 60_000 });
  if (first.failures > 0) throw new Error(`${first.failures} devices could not connect before the storm: ${first.failureSamples.join('; ')}`);
  // Acks go out at the end of the event-loop turn; give them time to be written before the sockets go.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all(first.sockets.map((socket) => socket.close()));
  context.progress.update(`[setup] ${groupCount} seeders sending ${missed} messages each`);
  await Promise.all(seeders.map((seeder, index) => sendMessages(target.url, seeder.tokens[0] ?? '', conversations[index] ?? '', missed)));
  return groupCount;
}

/** Sends `count` messages from one device and resolves when every one is answered `sent`. */
async function sendMessages(url: string, token: string, conversation: string, count: number): Promise<void> {
  const socket = await LeanSocket.open({ url, token });
  const frames = new SendFrames(conversation, 32);
  await new Promise<void>((resolve, reject) => {
    let answered = 0;
    socket.onFrame = (_socket, type, text) => {
      if (type === 'error') reject(new Error(`a storm seed message was refused: ${text}`));
      if (type === 'sent' && ++answered === count) resolve();
    };
    if (count === 0) resolve();
    for (let index = 0; index < count; index++) socket.send(frames.next(performance.now()).frame);
  });
  await socket.close();
}
