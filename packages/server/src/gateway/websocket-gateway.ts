import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '@parley/protocol';
import type { TimerHandle } from '../clock/clock.js';
import type { ChatContext } from '../chat/chat-context.js';
import { Presence } from '../chat/presence.js';
import { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { Session, type SessionLimits } from './session.js';
import { SessionRegistry } from './session-registry.js';

export interface GatewayOptions extends SessionLimits {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  sendRatePerSecond: number;
  sendBurst: number;
  typingRatePerSecond: number;
  typingBurst: number;
  /** A user stays online this long after their last device left, so a reconnect does not flap. */
  presenceGraceMs: number;
}

export const websocketPath = '/v1/ws';

/**
 * The WebSocket edge at `/v1/ws`: upgrades, one `Session` per connection, and
 * one heartbeat sweep for all of them (a timer per connection would cost
 * memory at scale).
 */
export class WebSocketGateway {
  readonly registry: SessionRegistry;
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<Session>();
  readonly presence: Presence;
  private readonly sendLimiter: KeyedRateLimiter;
  private readonly typingLimiter: KeyedRateLimiter;
  private heartbeat: TimerHandle | undefined;
  private accepting = true;

  constructor(
    private readonly chat: ChatContext,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
    private readonly metrics: ServerMetrics,
  ) {
    this.registry = new SessionRegistry(chat.bus);
    this.sendLimiter = new KeyedRateLimiter(chat.clock, options.sendRatePerSecond, options.sendBurst);
    this.typingLimiter = new KeyedRateLimiter(chat.clock, options.typingRatePerSecond, options.typingBurst);
    this.presence = new Presence(chat, options.presenceGraceMs, (error) => logger.error({ err: error }, 'presence failed'));
    // ws's default maxPayload is 100 MiB; compression is off so a small frame cannot inflate.
    this.server = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  attach(httpServer: Server): void {
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(request, socket, head);
    });
    this.scheduleHeartbeat();
  }

  /** Closes every connection with 1001 so clients reconnect elsewhere, waiting at most `graceMs`. */
  async close(graceMs: number): Promise<void> {
    this.accepting = false;
    if (this.heartbeat !== undefined) this.chat.clock.cancel(this.heartbeat);
    const sockets = [...this.server.clients];
    for (const session of this.sessions) session.close(CloseCode.goingAway, 'server shutting down');
    const deadline = Date.now() + graceMs;
    while (sockets.some((socket) => socket.readyState !== socket.CLOSED) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== websocketPath || !this.accepting) {
      const status = this.accepting ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (websocket) => this.accept(websocket));
  }

  private accept(websocket: WebSocket): void {
    const session = new Session(websocket, {
      chat: this.chat,
      registry: this.registry,
      sendLimiter: this.sendLimiter,
      typingLimiter: this.typingLimiter,
      presence: this.presence,
      metrics: this.metrics,
      limits: this.options,
      logger: this.logger,
    });
    this.sessions.add(session);
    this.metrics.connections.inc();
    websocket.on('close', () => {
      this.sessions.delete(session);
      this.metrics.connections.dec();
    });
    session.start();
  }

  private scheduleHeartbeat(): void {
    // Every connection is pinged each half timeout; one that stayed silent for a whole round is gone.
    this.heartbeat = this.chat.clock.schedule(this.options.idleTimeoutMs / 2, () => {
      for (const session of this.sessions) session.checkHeartbeat();
      if (this.accepting) this.scheduleHeartbeat();
    });
  }
}
