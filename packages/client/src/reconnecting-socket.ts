import type { ClientFrameInput } from '@parley/protocol';
import { reconnectDelayMs } from './backoff.js';
import { Heartbeat } from './heartbeat.js';
import { SOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from './web-socket-like.js';

export interface ReconnectingSocketOptions {
  /** The URL of the next socket, asked at each attempt (it gains the user's routing hint once known). */
  url: () => string;
  WebSocket: WebSocketConstructor;
  /** Source of jitter in [0, 1). */
  random: () => number;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
  /** The cap of the backoff between attempts. */
  reconnectDelayMaxMs: number;
}

export interface SocketHandlers {
  /** A new socket is being opened. */
  onConnecting(): void;
  onOpen(): void;
  onText(text: string): void;
  /** The socket closed or failed; return false to stop for good, true to retry after a backoff. */
  onClose(code: number, reason: string): boolean;
  /** The next attempt is scheduled, `delayMs` from now; `attempt` counts from 1. */
  onRetry(delayMs: number, attempt: number): void;
}

/** Close code the client uses for a connection it declares dead (protocol §5: heartbeat lost). */
const heartbeatLostCode = 4408;

/**
 * One logical connection over a series of WebSockets: opens a socket,
 * watches it with a heartbeat, and after a close waits a jittered backoff and
 * opens the next. What to send on open and what a close means is the
 * handlers' business; this class knows sockets and time, not the protocol.
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly options: ReconnectingSocketOptions,
    private readonly handlers: SocketHandlers,
  ) {
    this.heartbeat = new Heartbeat({
      intervalMs: options.heartbeatIntervalMs,
      idleTimeoutMs: options.idleTimeoutMs,
      ping: () => this.send({ type: 'ping' }),
      onDead: () => this.restart(heartbeatLostCode, 'heartbeat lost'),
    });
  }

  get isOpen(): boolean {
    return this.socket?.readyState === SOCKET_OPEN;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  /** Closes the connection for good; no close handler runs. */
  stop(code = 1000, reason = 'client closed'): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.drop(code, reason);
  }

  /** Writes one frame; false when there is no open socket to write to. */
  send(frame: ClientFrameInput): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** The connection proved good (the server welcomed it): the next failure starts the backoff over. */
  resetBackoff(): void {
    this.attempt = 0;
  }

  /**
   * Opens a new socket now, with the backoff started over: the current one,
   * if any, is abandoned as failed with `code`, and a wait for the next
   * attempt is cut short. False when the connection is stopped.
   */
  retryNow(code: number, reason: string): boolean {
    if (!this.running) return false;
    if (this.socket !== undefined) {
      this.drop(code, reason);
      if (!this.handlers.onClose(code, reason)) {
        this.running = false;
        return false;
      }
    }
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.open();
    return true;
  }

  /** Abandons the current socket, as if it had failed with `code`, and reconnects. */
  restart(code: number, reason: string): void {
    if (!this.socket) return;
    this.drop(code, reason);
    this.afterClose(code, reason);
  }

  private open(): void {
    this.handlers.onConnecting();
    const socket = new this.options.WebSocket(this.options.url());
    this.socket = socket;
    // The watchdog runs from the start: a connect that hangs is as dead as a silent socket.
    this.heartbeat.start();
    socket.onopen = () => this.handlers.onOpen();
    socket.onmessage = (event) => {
      this.heartbeat.touch();
      if (typeof event.data === 'string') this.handlers.onText(event.data);
      else this.handlers.onText(new TextDecoder().decode(toBytes(event.data)));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.heartbeat.stop();
      this.afterClose(event.code, event.reason);
    };
    // Every error is followed by a close, handled there; `ws` throws on errors nobody listens to.
    socket.onerror = () => undefined;
  }

  private afterClose(code: number, reason: string): void {
    if (!this.running) return;
    if (!this.handlers.onClose(code, reason)) {
      this.running = false;
      return;
    }
    const delayMs = reconnectDelayMs(this.attempt, this.options.random, this.options.reconnectDelayMaxMs);
    this.attempt += 1;
    this.handlers.onRetry(delayMs, this.attempt);
    this.retryTimer = setTimeout(() => {
      if (this.running) this.open();
    }, delayMs);
  }

  /** Detaches and closes the current socket without running its close handler. */
  private drop(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.heartbeat.stop();
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.close(code, reason);
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array();
}
