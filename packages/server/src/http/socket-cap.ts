import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closes at once a TCP connection from an address that already holds `max`:
 * the WebSocket cap (`maxConnectionsPerIp`) only counts upgraded
 * connections, so a flood of connections that never finish their request
 * (slowloris) would otherwise be bounded by nothing but the headers timeout.
 */
export function capSocketsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const remaining = (open.get(address) ?? 1) - 1;
      if (remaining > 0) open.set(address, remaining);
      else open.delete(address);
    });
  });
}
