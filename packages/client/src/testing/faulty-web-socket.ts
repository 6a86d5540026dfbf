import WebSocket from 'ws';
import type { WebSocketLike } from '../web-socket-like.js';

export type Frame = Record<string, unknown>;

export interface SocketFaults {
  /** True swallows this frame from the server before the client sees it. */
  dropIncoming?(frame: Frame, socket: FaultyWebSocket): boolean;
  /** True swallows this frame from the client before the server sees it. */
  dropOutgoing?(frame: Frame, socket: FaultyWebSocket): boolean;
}

export interface FaultyWebSocket extends WebSocketLike {
  /** Cuts the connection without a close handshake, as a network failure does. */
  terminate(): void;
}

/**
 * A real `ws` socket with injected faults: frames that get lost, connections
 * that break at a chosen moment. Each factory records the sockets it made.
 */
export function faultyWebSockets(faults: SocketFaults = {}): {
  WebSocket: new (url: string) => FaultyWebSocket;
  sockets: FaultyWebSocket[];
} {
  const sockets: FaultyWebSocket[] = [];

  class FaultySocket implements FaultyWebSocket {
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    private readonly inner: WebSocket;

    constructor(url: string) {
      this.inner = new WebSocket(url);
      sockets.push(this);
      this.inner.onopen = (event) => this.onopen?.(event);
      this.inner.onmessage = (event) => {
        const text = String(event.data);
        if (faults.dropIncoming?.(JSON.parse(text) as Frame, this)) return;
        this.onmessage?.({ data: text });
      };
      this.inner.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason });
      this.inner.onerror = (event) => this.onerror?.(event);
    }

    get readyState(): number {
      return this.inner.readyState;
    }

    send(data: string): void {
      if (faults.dropOutgoing?.(JSON.parse(data) as Frame, this)) return;
      this.inner.send(data);
    }

    close(code?: number, reason?: string): void {
      this.inner.close(code, reason);
    }

    terminate(): void {
      this.inner.terminate();
    }
  }

  return { WebSocket: FaultySocket, sockets };
}
