import type { Target } from '../process/targets.js';
import { directPairsOnParley, directPairsOnRelay, type DirectPair } from '../setup/populations.js';
import { seconds, type BenchContext } from './bench-context.js';
import type { Population } from './measure-load.js';

/** P sender/receiver pairs as fleet members: each sender sends into its pair's conversation. */
export function directMembers(pairs: DirectPair[]): Population['members'] {
  return pairs.flatMap((pair) => [{ endpoint: pair.sender, sendsTo: pair.conversation }, { endpoint: pair.receiver }]);
}

/** Makes `pairs` pairs on the target: users and conversations over HTTP on Parley, made-up tokens on the relay. */
export async function directPopulation(context: BenchContext, target: Target, pairs: number): Promise<Population> {
  const startedMs = performance.now();
  const made =
    target.kind !== 'parley'
      ? directPairsOnRelay(pairs)
      : await directPairsOnParley(pairs, {
          url: target.url,
          concurrency: context.options.setupConcurrency,
          onProgress: (done, total) => context.progress.update(`[setup] ${done}/${total} users registered and logged in`),
        });
  const setup = { seconds: seconds(startedMs), users: 2 * pairs, devices: 2 * pairs, conversations: pairs };
  if (target.kind === 'parley') context.progress.done(`[setup] ${setup.users} users, ${pairs} conversations in ${setup.seconds.toFixed(1)} s`);
  return { members: directMembers(made), setup, fanout: 1 };
}
