import type { Target } from '../process/targets.js';
import { directPairsOnParley, directPairsOnRelay, type DirectPair } from '../setup/populations.js';
import { seconds, type BenchContext } from './bench-context.js';
import type { Population } from './measure-load.js';

/** Where a pair's sides connect: the target's URL for both, or a chosen node each (senders on one, receivers on another). */
export interface PairPlacement {
  senderUrl?: string;
  receiverUrl?: string;
}

/** P sender/receiver pairs as fleet members: each sender sends into its pair's conversation. */
export function directMembers(pairs: DirectPair[], placement: PairPlacement = {}): Population['members'] {
  const at = (url: string | undefined) => (url === undefined ? {} : { url });
  return pairs.flatMap((pair) => [
    { endpoint: pair.sender, sendsTo: pair.conversation, ...at(placement.senderUrl) },
    { endpoint: pair.receiver, ...at(placement.receiverUrl) },
  ]);
}

/**
 * --cross-node: every sender on a cluster's first node and every receiver on
 * its second, connected past HAProxy (its hash would put each user wherever it
 * falls), so each message crosses from node to node through PostgreSQL and NATS.
 */
export function crossNodePlacement(target: Target, crossNode: boolean): PairPlacement {
  if (!crossNode) return {};
  const [senderUrl, receiverUrl] = target.nodeUrls ?? [];
  if (senderUrl === undefined || receiverUrl === undefined) throw new Error('--cross-node needs a target of two nodes or more');
  return { senderUrl, receiverUrl };
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
  const placement = target.kind === 'parley' ? crossNodePlacement(target, context.options.crossNode) : {};
  return { members: directMembers(made, placement), setup, fanout: 1 };
}
