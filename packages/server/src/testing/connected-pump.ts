import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { Caller } from '../chat/chat-context.js';
import { gapWasAcked } from '../chat/gap-was-acked.js';
import { readStream } from '../chat/read-stream.js';
import { SocketWriter } from '../gateway/socket-writer.js';
import { StreamPump } from '../gateway/stream-pump.js';
import { createServerMetrics } from '../lib/server-metrics.js';
import type { UseCaseScene } from './use-case-scene.js';

/**
 * A real WebSocket pair on port 0: the server side gets the caller's
 * StreamPump, whose stream starts after `afterPos`; the client side records
 * the pos of each frame, and `failures` what the pump reported.
 */
export async function connectedPump(scene: UseCaseScene, caller: Caller, replayPageSize: number, afterPos = 0) {
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
  const failures: unknown[] = [];
  const pump = new StreamPump(
    {
      writer,
      readPage: (afterPos, limit) => readStream(scene.context, caller, afterPos, limit),
      gapWasAcked: (storedPos) => gapWasAcked(scene.context, caller, storedPos),
      replayPageSize,
      isLive: () => true,
      onSent: () => undefined,
      onFailure: (error) => failures.push(error),
    },
    afterPos,
  );
  const receivedUpTo = async (pos: number) => {
    while (received.at(-1) !== pos) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const close = async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { pump, received, receivedUpTo, failures, close };
}

