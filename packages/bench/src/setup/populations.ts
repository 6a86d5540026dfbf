import { ParleyApi } from '@parley/client';
import { mapConcurrent, range } from './map-concurrent.js';
import { createAccounts, runPrefix, type SeedOptions } from './seed-accounts.js';

/** One connection's identity as the load uses it. */
export interface Endpoint {
  userId: string;
  token: string;
}

/** A direct conversation with one side that sends and one that receives. */
export interface DirectPair {
  conversation: string;
  sender: Endpoint;
  receiver: Endpoint;
}

export interface Group {
  conversation: string;
  /** Every member, the senders first. */
  members: Endpoint[];
  senders: number;
}

/** `pairs` pairs of fresh users on a Parley server, each with its direct conversation. */
export async function directPairsOnParley(pairs: number, options: SeedOptions): Promise<DirectPair[]> {
  const accounts = await createAccounts(2 * pairs, runPrefix(), options);
  return mapConcurrent(range(pairs), options.concurrency, async (index) => {
    const sender = accounts[2 * index];
    const receiver = accounts[2 * index + 1];
    if (sender === undefined || receiver === undefined) throw new Error('an account is missing');
    const conversation = await new ParleyApi({ baseUrl: options.url, token: sender.tokens[0] }).openDirect(receiver.userId);
    return {
      conversation: conversation.id,
      sender: { userId: sender.userId, token: sender.tokens[0] ?? '' },
      receiver: { userId: receiver.userId, token: receiver.tokens[0] ?? '' },
    };
  });
}

/** The same shape on the baseline relay: its tokens name the user and the conversations. */
export function directPairsOnRelay(pairs: number): DirectPair[] {
  return range(pairs).map((index) => {
    const conversation = `c_${index}`;
    const endpoint = (userId: string) => ({ userId, token: `${userId}|${conversation}` });
    return { conversation, sender: endpoint(`u_${2 * index}`), receiver: endpoint(`u_${2 * index + 1}`) };
  });
}

/** `groups` groups of `members` fresh users each, created by their first member. */
export async function groupsOnParley(groups: number, members: number, senders: number, options: SeedOptions): Promise<Group[]> {
  const accounts = await createAccounts(groups * members, runPrefix(), options);
  return mapConcurrent(range(groups), options.concurrency, async (index) => {
    const own = accounts.slice(index * members, (index + 1) * members);
    const [creator, ...others] = own;
    if (creator === undefined) throw new Error('a group has no members');
    const api = new ParleyApi({ baseUrl: options.url, token: creator.tokens[0] });
    const group = await api.createGroup(`bench ${index}`, others.map((account) => account.userId));
    return { conversation: group.id, members: own.map((account) => ({ userId: account.userId, token: account.tokens[0] ?? '' })), senders };
  });
}

export function groupsOnRelay(groups: number, members: number, senders: number): Group[] {
  return range(groups).map((index) => {
    const conversation = `g_${index}`;
    const endpoints = range(members).map((member) => {
      const userId = `u_${index * members + member}`;
      return { userId, token: `${userId}|${conversation}` };
    });
    return { conversation, members: endpoints, senders };
  });
}
