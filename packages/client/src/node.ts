// The Node entry: everything of the browser SDK, plus file storage and `ws`.
import WebSocket from 'ws';
import { ParleyClient, type ParleyClientOptions } from './client.js';
import type { WebSocketConstructor } from './web-socket-like.js';

export * from './index.js';
export { FileStorage } from './file-storage.js';

/** `ws`'s WebSocket class, typed as the client expects it. */
export const NodeWebSocket: WebSocketConstructor = WebSocket;

/** A client that uses `ws` for its sockets (Node has no WebSocket global before version 22). */
export function createNodeClient(options: ParleyClientOptions): ParleyClient {
  return new ParleyClient({ WebSocket: NodeWebSocket, ...options });
}

/** Creates a Node client and connects it; resolves once it is synced. */
export async function connectNode(options: ParleyClientOptions): Promise<ParleyClient> {
  const client = createNodeClient(options);
  await client.connect();
  return client;
}
