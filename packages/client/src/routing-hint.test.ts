import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ParleyClient } from './client.js';
import type { WebSocketConstructor } from './web-socket-like.js';
import { nextEvent } from './testing/next-event.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let server: TestServer;
const clients: ParleyClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A `ws` WebSocket class that notes the URL of every socket it opens. */
function recordingWebSockets(): { WebSocket: WebSocketConstructor; urls: string[] } {
  const urls: string[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      urls.push(url);
    }
  }
  return { WebSocket: RecordingWebSocket, urls };
}

const userParameterOf = (url: string | undefined) => new URL(url ?? 'ws://missing').searchParams.get('user');

describe('the user id in the socket URL, a routing hint for a load balancer', () => {
  it('is added from the next socket on once the server has welcomed the user', async () => {
    const alice = await server.signUp('alice');
    const sockets = recordingWebSockets();
    const client = new ParleyClient({ url: server.url, token: alice.session.token, WebSocket: sockets.WebSocket, random: () => 0 });
    clients.push(client);
    await client.connect();
    expect(userParameterOf(sockets.urls[0])).toBeNull();
    const resynced = nextEvent(client, 'state', (state) => state === 'synced');
    client.reconnectNow();
    await resynced;
    expect(userParameterOf(sockets.urls[1])).toBe(alice.session.user.id);
    expect(new URL(sockets.urls[1] ?? '').pathname).toBe('/v1/ws');
  });

  it('is in the first socket URL when the app names the user it logged in as', async () => {
    const bob = await server.signUp('bob');
    const sockets = recordingWebSockets();
    const client = new ParleyClient({ url: server.url, token: bob.session.token, user: bob.session.user.id, WebSocket: sockets.WebSocket });
    clients.push(client);
    await client.connect();
    expect(sockets.urls.map(userParameterOf)).toEqual([bob.session.user.id]);
  });

  it('never decides who the user is: the token does, whatever user the URL names', async () => {
    const carol = await server.signUp('carol');
    const dave = await server.signUp('dave');
    const client = new ParleyClient({ url: server.url, token: carol.session.token, user: dave.session.user.id, WebSocket });
    clients.push(client);
    const welcomed = new Promise<string>((resolve) => {
      const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/ws?user=${dave.session.user.id}`);
      socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token: carol.session.token, protocol: 1 }));
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as { type: string; user?: string };
        if (frame.type !== 'welcome') return;
        socket.close();
        resolve(frame.user ?? '');
      };
    });
    expect(await welcomed).toBe(carol.session.user.id);
    await client.connect();
    expect(client.state).toBe('synced');
  });
});
