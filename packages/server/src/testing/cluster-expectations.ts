import type { MessageView, SentFrame } from '@parley/protocol';
import { expect } from 'vitest';
import type { RecordingDevice } from './recording-device.js';

/**
 * A conversation's stored history holds every answered send exactly once, at
 * the seq its `sent` named, with seqs dense from 1 and nothing else: no
 * message was lost, doubled, or stored without its sender being told.
 */
export function expectEachSendStoredOnce(history: MessageView[], answers: SentFrame[]): void {
  expect(history.map((message) => message.seq)).toEqual(Array.from({ length: history.length }, (_, index) => index + 1));
  expect(new Set(history.map((message) => message.id)).size).toBe(history.length);
  const storedSeqOf = new Map(history.map((message) => [message.id, message.seq]));
  for (const answer of answers) expect(storedSeqOf.get(answer.id), `sent ${answer.id}`).toBe(answer.seq);
  expect(history.length).toBe(new Set(answers.map((answer) => answer.id)).size);
}

/**
 * The device surfaced the conversation's whole history from its stream, each
 * message once, in seq order, with its pos rising: it resumed from its acked
 * pos after every reconnect (no gap, nothing twice, no resync over HTTP).
 */
export function expectSurfacedOnceInOrder(device: RecordingDevice, conversation: string, history: MessageView[]): void {
  const surfaced = device.messagesIn(conversation);
  expect(surfaced.map((message) => message.id)).toEqual(history.map((message) => message.id));
  expect(surfaced.every((message) => message.source === 'stream')).toBe(true);
  const positions = surfaced.map((message) => message.pos ?? 0);
  expect(positions.every((pos, index) => index === 0 || pos > (positions[index - 1] ?? 0))).toBe(true);
}

/** A device's sends to one conversation were stored in the order it made them, whatever was refused and re-sent. */
export async function expectSendsStoredInOrder(device: RecordingDevice, conversation: string): Promise<void> {
  const seqs = await Promise.all(device.sends.filter((send) => send.conversation === conversation).map(async (send) => (await send.sent).seq));
  expect(seqs.every((seq, index) => index === 0 || seq > (seqs[index - 1] ?? 0)), `seqs in send order: ${seqs.join(',')}`).toBe(true);
}
