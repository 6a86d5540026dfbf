import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '@parley/protocol';
import type { TimerHandle } from '../clock/clock.js';
import type { ChatContext } from '../chat/chat-context.js';
import { newestPos } from '../chat/newest-pos.js';
import { Presence } from '../chat/presence.js';
import { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { nodeHeader } from '../edge/node-header.js';
import { isUnavailable } from './is-unavailable.js';
import { Session } from './session.js';
import type { SessionLimits } from './session-limits.js';
import { SessionRegistry } from './session-registry.js';
import { settledBy } from './settled-by.js';
import { UpgradeGate, type UpgradeGateOptions } from './upgrade-gate.js';

export interface GatewayOptions extends SessionLimits, UpgradeGateOptions {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  sendRatePerSecond: number;
  sendBurst: number;
  typingRatePerSecond: number;
  typingBurst: number;
  /** A user stays online this long after their last device left, so a reconnect does not flap. */
  presenceGraceMs: number;
  /** Named in the handshake's response (`X-Parley-Node`); undefined: not told. */
  nodeName?: string | undefined;
}

/**
 * Users whose sessions read the store at once after the bus said `catch_up`:
 * a few reads in flight keep up with thousands of idle users a second
 * without crowding out the writes.
 */
const catchUpConcurrencyMax = 8;

/**
 * The WebSocket edge at `/v1/ws`: upgrades, one `Session` per connection, and
 * one heartbeat sweep for all of them (a timer per connection would cost
 * memory at scale).
 */
export class WebSocketGateway {
  private readonly registry: SessionRegistry;
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Presence of this node's users; HTTP introduces the users of a new direct conversation, and shutdown records last seen. */
  readonly presence: Presence;
  private readonly sendLimiter: KeyedRateLimiter;
  private readonly typingLimiter: KeyedRateLimiter;
  private readonly gate: UpgradeGate;
  private heartbeat: TimerHandle | undefined;
  /** What closed sessions still do (write their last ack, compact their stream): the store must outlive it. */
  private readonly afterCloseWork = new Set<Promise<void>>();

  constructor(
    private readonly chat: ChatContext,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
    private readonly metrics: ServerMetrics,
  ) {
    this.registry = new SessionRegistry({
      bus: chat.bus,
      newestPos: (userId) => newestPos(chat, userId),
      catchUpConcurrencyMax,
      onCatchUpError: (error) => logger[isUnavailable(error) ? 'warn' : 'error']({ err: error }, 'catching sessions up failed'),
    });
    this.sendLimiter = new KeyedRateLimiter(chat.clock, options.sendRatePerSecond, options.sendBurst);
    this.typingLimiter = new KeyedRateLimiter(chat.clock, options.typingRatePerSecond, options.typingBurst);
    this.gate = new UpgradeGate(chat.clock, options);
    this.presence = new Presence(chat, options.presenceGraceMs, (error) => logger.error({ err: error }, 'presence failed'));
    // ws's default maxPayload is 100 MiB; compression is off so a small frame cannot inflate.
    this.server = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
    const nodeName = options.nodeName;
    if (nodeName !== undefined) this.server.on('headers', (headers) => headers.push(`${nodeHeader}: ${nodeName}`));
  }

  attach(httpServer: Server): void {
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(request, socket, head);
    });
    this.scheduleHeartbeat();
  }

  /**
   * Drains every connection and closes it with 1001 so clients reconnect
   * elsewhere: no new frames are read, the ones read get their answers (a
   * committed send its `sent`), then the socket closes. Waits at most
   * `graceMs` in all, including the work sessions do after closing (their
   * last ack, stream compaction), which must finish before the store closes.
   */
  async close(graceMs: number): Promise<void> {
    this.gate.close();
    if (this.heartbeat !== undefined) this.chat.clock.cancel(this.heartbeat);
    const deadline = Date.now() + graceMs;
    const sockets = [...this.server.clients];
    const sessions = [...this.sessions];
    await settledBy(Promise.all(sessions.map((session) => session.drain())), deadline);
    for (const session of sessions) session.close(CloseCode.goingAway, 'server shutting down');
    while (sockets.some((socket) => socket.readyState !== socket.CLOSED) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const socket of sockets) socket.terminate();
    await settledBy(Promise.all(this.afterCloseWork), deadline);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.gate.refusalOf(request);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const address = this.gate.addressOf(request);
    this.server.handleUpgrade(request, socket, head, (websocket) => this.accept(websocket, socket, address));
  }

  private accept(websocket: WebSocket, transport: Duplex, address: string): void {
    const session = new Session(websocket, transport, {
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
    this.gate.entered(address);
    // Started first: its own close handler releases the session before this one collects the work after it.
    session.start();
    websocket.on('close', () => {
      const work = session.afterClose();
      this.afterCloseWork.add(work);
      void work.finally(() => this.afterCloseWork.delete(work));
      this.sessions.delete(session);
      this.metrics.connections.dec();
      this.gate.left(address);
    });
  }

  private scheduleHeartbeat(): void {
    // Every connection is pinged each half timeout; one that stayed silent for a whole round is gone.
    this.heartbeat = this.chat.clock.schedule(this.options.idleTimeoutMs / 2, () => {
      for (const session of this.sessions) session.checkHeartbeat();
      if (this.gate.accepting) this.scheduleHeartbeat();
    });
  }
}
