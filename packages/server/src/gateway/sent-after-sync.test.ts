import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { SyncGate } from '../testing/sync-gate.js';
import { createUser, openDirect } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('sends while the sync of the WAL is slow', () => {
  let server: RunningApp | undefined;
  const sockets: TestSocket[] = [];
  const gate = new SyncGate();

  afterEach(async () => {
    // A failed test must not leave the store's close waiting for a held sync.
    gate.open();
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await server?.stop();
    server = undefined;
  });

  it('answers no send with sent before the sync of its batch has completed, and keeps answering pings meanwhile', async () => {
    server = await startApp({}, { syncWal: gate.syncWal });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    sockets.push(sender, receiver);

    // Syncs completed when each `sent` arrived: the test and the server share this process.
    const syncsCompletedAtSent: number[] = [];
    sender.socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'sent') syncsCompletedAtSent.push(gate.completed);
    });
    gate.shutNow();
    const ids = Array.from({ length: 10 }, () => randomUUID());
    for (const [index, id] of ids.entries()) sender.send({ type: 'send', id, conversation, body: { text: `m${index}` } });
    await eventually(() => gate.waiting === 1, 'the first batch of sends committed, its sync held');
    for (let ping = 0; ping < 3; ping++) {
      sender.send({ type: 'ping' });
      await sender.next('pong');
    }
    expect(sender.frames.filter((frame) => frame.type === 'sent' || frame.type === 'error')).toEqual([]);
    expect(receiver.frames.filter((frame) => frame.type === 'message')).toEqual([]);
    const syncsBeforeTheHold = gate.completed;

    gate.open();
    const seqs: number[] = [];
    for (const id of ids) seqs.push((await sender.next('sent', (frame) => frame.id === id)).seq);
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
    expect(syncsCompletedAtSent).toHaveLength(10);
    expect(Math.min(...syncsCompletedAtSent)).toBeGreaterThan(syncsBeforeTheHold);
    for (const id of ids) await receiver.next('message', (frame) => frame.id === id);
  });
});
