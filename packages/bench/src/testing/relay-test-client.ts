import WebSocket from 'ws';

/** A raw protocol client for the relay's tests: every frame it got, parsed, and a way to wait for the next of a type. */
export interface RelayTestClient {
  frames: Record<string, unknown>[];
  send(frame: Record<string, unknown>): void;
  next(type: string): Promise<Record<string, unknown>>;
  /** Resolves once the relay has handled everything this client sent before, and everything it wrote to this client before has arrived. */
  roundTrip(): Promise<void>;
  close(): void;
}

export async function connectToRelay(url: string, token: string): Promise<RelayTestClient> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`);
  const frames: Record<string, unknown>[] = [];
  const waiting: { type: string; resolve: (frame: Record<string, unknown>) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    frames.push(frame);
    const index = waiting.findIndex((waiter) => waiter.type === frame.type);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(frame);
  });
  const next = (type: string) => new Promise<Record<string, unknown>>((resolve) => waiting.push({ type, resolve }));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const synced = next('synced');
  socket.send(JSON.stringify({ type: 'hello', token, protocol: 1 }));
  await synced;
  const send = (frame: Record<string, unknown>) => socket.send(JSON.stringify(frame));
  return {
    frames,
    send,
    next,
    roundTrip: async () => {
      const pong = next('pong');
      send({ type: 'ping' });
      await pong;
    },
    close: () => socket.close(),
  };
}
