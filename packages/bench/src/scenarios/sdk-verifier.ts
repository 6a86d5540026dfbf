import { MemoryStorage, type ParleyClient, type SentFrame } from '@parley/client';
import { createNodeClient } from '@parley/client/node';
import type { DirectPair } from '../setup/populations.js';

export interface VerificationResult {
  pairs: number;
  messagesPerSender: number;
  acknowledged: number;
  received: number;
  lost: number;
  duplicated: number;
  /** Messages surfaced out of seq order, or with another seq than the sender was told. */
  misordered: number;
  failedSends: number;
  passed: boolean;
  seconds: number;
}

interface Received {
  id: string;
  seq: number;
}

/**
 * The correctness check under load, through the real SDK: each pair's sender
 * sends `messagesPerSender` messages while its receiver, halfway, closes and
 * comes back as a new client on the same storage (a restarted app). Then every
 * acknowledged message must have been surfaced to the receiver exactly once,
 * in seq order, with the seq its sender was told.
 */
export async function verifyWithSdk(url: string, pairs: DirectPair[], messagesPerSender: number, timeoutMs: number): Promise<VerificationResult> {
  const startedMs = performance.now();
  const outcomes = await Promise.all(pairs.map((pair) => exchange(url, pair, messagesPerSender, timeoutMs)));
  const sum = (pick: (outcome: PairOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const result = {
    pairs: pairs.length,
    messagesPerSender,
    acknowledged: sum((outcome) => outcome.acknowledged),
    received: sum((outcome) => outcome.received),
    lost: sum((outcome) => outcome.lost),
    duplicated: sum((outcome) => outcome.duplicated),
    misordered: sum((outcome) => outcome.misordered),
    failedSends: sum((outcome) => outcome.failedSends),
    seconds: (performance.now() - startedMs) / 1000,
  };
  return { ...result, passed: result.lost + result.duplicated + result.misordered + result.failedSends === 0 };
}

interface PairOutcome {
  acknowledged: number;
  received: number;
  lost: number;
  duplicated: number;
  misordered: number;
  failedSends: number;
}

async function exchange(url: string, pair: DirectPair, count: number, timeoutMs: number): Promise<PairOutcome> {
  const received: Received[] = [];
  const storage = new MemoryStorage();
  const listen = (client: ParleyClient) =>
    client.on('message', (message) => {
      if (message.conversation !== pair.conversation) return;
      received.push({ id: message.id, seq: message.seq });
    });
  const sender = createNodeClient({ url, token: pair.sender.token });
  let receiver = createNodeClient({ url, token: pair.receiver.token, storage });
  listen(receiver);
  await Promise.all([sender.connect(), receiver.connect()]);
  const answers: Promise<SentFrame | undefined>[] = [];
  for (let index = 0; index < count; index++) {
    answers.push(sender.send(pair.conversation, { text: `check ${index}` }).catch(() => undefined));
    if (index === Math.floor(count / 2)) {
      // A restart of the receiving app mid-stream: what it had not acked must come again, once.
      await receiver.close();
      receiver = createNodeClient({ url, token: pair.receiver.token, storage });
      listen(receiver);
      await receiver.connect();
    }
  }
  const sent = (await Promise.all(answers)).filter((answer): answer is SentFrame => answer !== undefined);
  const deadline = performance.now() + timeoutMs;
  while (received.length < sent.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all([sender.close(), receiver.close()]);
  return compare(sent, received, count);
}

function compare(sent: SentFrame[], received: Received[], count: number): PairOutcome {
  const seqById = new Map(sent.map((answer) => [answer.id, answer.seq]));
  const seen = new Set<string>();
  let duplicated = 0;
  let misordered = 0;
  let lastSeq = 0;
  for (const message of received) {
    if (seen.has(message.id)) {
      duplicated++;
      continue;
    }
    seen.add(message.id);
    if (message.seq <= lastSeq || (seqById.has(message.id) && seqById.get(message.id) !== message.seq)) misordered++;
    lastSeq = Math.max(lastSeq, message.seq);
  }
  const lost = sent.filter((answer) => !seen.has(answer.id)).length;
  return { acknowledged: sent.length, received: seen.size, lost, duplicated, misordered, failedSends: count - sent.length };
}
