import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess } from './testing/server-process.js';
import { tempDir } from './testing/temp-dir.js';
import { createUser, openDirect } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

describe('the server as a process', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('keeps a message acknowledged with sent when killed with SIGKILL right after, and delivers it after restart', async () => {
    const first = await startServerProcess(dir.path);
    const alice = await createUser(first.url, 'alice');
    const bob = await createUser(first.url, 'bob');
    const conversation = await openDirect(first.url, alice, bob);
    const socket = await TestSocket.connect(first.url, alice.token);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) socket.send({ type: 'send', id, conversation, body: { text: `survives ${id}` } });
    const lastSent = await socket.next('sent', (frame) => frame.id === ids.at(-1));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startServerProcess(dir.path);
    try {
      const receiver = await TestSocket.connect(second.url, bob.token);
      const messages = receiver.events().filter((event) => event.type === 'message');
      expect(messages.map((message) => message.type === 'message' && message.id)).toEqual(ids);
      expect(messages.at(-1)).toMatchObject({ seq: lastSent.seq, at: lastSent.at });
      await receiver.close();
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  });

  it('closes sockets with 1001 and exits 0 on SIGTERM', async () => {
    const server = await startServerProcess(dir.path);
    const alice = await createUser(server.url, 'alice');
    const socket = await TestSocket.connect(server.url, alice.token);
    server.child.kill('SIGTERM');
    expect((await socket.closed).code).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
