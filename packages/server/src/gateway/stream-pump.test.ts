import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { readStream } from '../chat/read-stream.js';
import { streamEntryFrame } from '../chat/stream-frames.js';
import { createServerMetrics } from '../lib/server-metrics.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { SocketWriter } from './socket-writer.js';
import { StreamPump } from './stream-pump.js';

/** A real WebSocket pair on port 0: the server side gets a StreamPump, the client side records the pos of each frame. */
async function connectedPump(scene: UseCaseScene, userId: string, replayPageSize: number) {
  const server = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<{ socket: WebSocket; transport: Socket }>((resolve) =>
    server.once('connection', (socket, request) => resolve({ socket, transport: request.socket })),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: number[] = [];
  const waiters: (() => void)[] = [];
  client.on('message', (data) => {
    received.push((JSON.parse(data.toString()) as { pos: number }).pos);
    for (const wake of waiters.splice(0)) wake();
  });
  const { socket, transport } = await accepted;
  const writer = new SocketWriter(socket, transport, 1024 * 1024, createServerMetrics(), () => undefined);
  const caller = { userId, deviceId: 'unused' };
  const pump = new StreamPump(
    {
      writer,
      readPage: (afterPos, limit) => readStream(scene.context, caller, afterPos, limit),
      replayPageSize,
      isLive: () => true,
      onSent: () => undefined,
      onFailure: (error) => {
        throw error;
      },
    },
    0,
  );
  const receivedUpTo = async (pos: number) => {
    while (received.at(-1) !== pos) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const close = async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { pump, received, receivedUpTo, close };
}

describe('StreamPump', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it('replays the stored stream page by page, in pos order', async () => {
    const alice = await scene.make.user('alice');
    const bob = await scene.make.user('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three', 'four']) await scene.make.send(conversation, alice, text);
    const newest = await scene.store.currentPos(bob.id);
    const { pump, received, receivedUpTo, close } = await connectedPump(scene, bob.id, 2);

    await pump.pump();

    expect(pump.sentPos).toBe(newest);
    await receivedUpTo(newest);
    expect(received).toEqual(Array.from({ length: newest }, (_, index) => index + 1));
    await close();
  });

  it('reads a gap from the store when a live entry skips ahead (a notice was lost), and repeats nothing', async () => {
    const alice = await scene.make.user('alice');
    const bob = await scene.make.user('bob');
    const conversation = await scene.make.direct(alice, bob);
    const { pump, received, receivedUpTo, close } = await connectedPump(scene, bob.id, 500);
    await pump.pump();
    const start = pump.sentPos;

    await scene.make.send(conversation, alice, 'its notice is lost');
    await scene.make.send(conversation, alice, 'its notice arrives');
    const [, second] = await scene.store.readStream(bob.id, start, 10);
    if (second === undefined) throw new Error('two entries were appended');
    pump.deliver([streamEntryFrame(second)]);
    await receivedUpTo(second.pos);

    pump.deliver([streamEntryFrame(second)]);
    await scene.make.send(conversation, alice, 'the next one');
    const [third] = await scene.store.readStream(bob.id, second.pos, 10);
    if (third === undefined) throw new Error('one entry was appended');
    pump.deliver([streamEntryFrame(third)]);
    await receivedUpTo(third.pos);

    expect(received.slice(start)).toEqual([start + 1, start + 2, start + 3]);
    await close();
  });
});
