import type { WebSocket } from 'ws';

const pollIntervalMs = 5;
const drainTimeoutMs = 30_000;

/**
 * Waits until the socket holds at most `bytesMax` unsent bytes. False when it
 * closed or did not drain in time: the client has stopped reading.
 */
export async function waitForDrain(socket: WebSocket, bytesMax: number): Promise<boolean> {
  const deadline = Date.now() + drainTimeoutMs;
  while (socket.bufferedAmount > bytesMax) {
    if (socket.readyState !== socket.OPEN || Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  return socket.readyState === socket.OPEN;
}
