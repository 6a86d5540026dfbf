import {
  PROTOCOL_VERSION,
  CloseCode,
  type ErrorFrame,
  type MessageBody,
  type SentFrame,
  type ServerFrame,
  type StreamEvent,
  type WelcomeFrame,
} from '@parley/protocol';
import { AckScheduler } from './ack-scheduler.js';
import type { ClientEvents, ConnectionState } from './client-events.js';
import { emptyClientState, type ClientState, type ClientStorage, type PendingSend } from './client-storage.js';
import { MemoryStorage } from './memory-storage.js';
import { Outbox } from './outbox.js';
import { parseServerFrame } from './parse-server-frame.js';
import { ParleySendError } from './parley-send-error.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { StateSaver } from './state-saver.js';
import { StreamCursor } from './stream-cursor.js';
import { TypedEmitter } from './typed-emitter.js';
import { webSocketUrlOf, type WebSocketConstructor } from './web-socket-like.js';

export interface ParleyClientOptions {
  /** The server's http(s) base URL; the socket goes to `<ws(s)>/v1/ws`. */
  url: string;
  /** The device token from `POST /v1/sessions`. */
  token: string;
  /** Where the cursor and outbox live; default `MemoryStorage` (forgotten on exit). */
  storage?: ClientStorage;
  /** The WebSocket class; default `globalThis.WebSocket`. In Node use `@parley/client/node`. */
  WebSocket?: WebSocketConstructor;
  /** Jitter source in [0, 1) for reconnect delays; default `Math.random`. */
  random?: () => number;
  /** Time between application-level pings; default 25 s. */
  heartbeatIntervalMs?: number;
  /** Silence after which the connection counts as dead and is replaced; default 60 s. */
  idleTimeoutMs?: number;
  /**
   * False makes a send-only connection: stream events are neither surfaced
   * nor acked, so the device still receives them on its next connection.
   * Default true.
   */
  receiveEvents?: boolean;
}

/** Wait before re-sending a send the server rate-limited without saying how long. */
const rateLimitedRetryDefaultMs = 1_000;

/**
 * The connection to a Parley server: hello, replay, live events, acks, an
 * outbox that survives disconnects, and reconnects with backoff.
 *
 * Guarantees (with a storage that keeps what it saves): every stream event
 * is surfaced at most once and in pos order; a pos is acked only after it is
 * saved; every send is retried with its id until the server answers it, so it
 * becomes exactly one message.
 */
export class ParleyClient extends TypedEmitter<ClientEvents> {
  private currentState: ConnectionState = 'closed';
  private user: string | undefined;
  private cursor = new StreamCursor(0, {});
  private outbox = new Outbox();
  private savedPos = 0;
  /**
   * The newest pos received on the current socket. Acks never go past it: a
   * server may refuse an ack of events it has not sent on this connection.
   */
  private receivedPos = 0;
  /** The current socket got its `welcome`: frames other than `hello` may go out. */
  private welcomed = false;
  private loading: Promise<void> | undefined;
  private syncWaiters: { resolve(): void; reject(error: Error): void }[] = [];
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly storage: ClientStorage;
  private readonly connection: ReconnectingSocket;
  private readonly saver: StateSaver;
  private readonly acks: AckScheduler;
  private readonly receiveEvents: boolean;

  constructor(options: ParleyClientOptions) {
    super();
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    if (!WebSocketClass) throw new Error('no WebSocket available: pass options.WebSocket or use @parley/client/node');
    this.storage = options.storage ?? new MemoryStorage();
    this.receiveEvents = options.receiveEvents ?? true;
    this.saver = new StateSaver(this.storage, () => this.snapshot(), (state) => this.afterSave(state));
    this.acks = new AckScheduler((frame) => this.welcomed && this.connection.send(frame));
    this.connection = new ReconnectingSocket(
      {
        url: webSocketUrlOf(options.url),
        WebSocket: WebSocketClass,
        random: options.random ?? Math.random,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 25_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      },
      {
        onConnecting: () => this.onConnecting(),
        onOpen: () => this.connection.send({ type: 'hello', token: options.token, protocol: PROTOCOL_VERSION }),
        onText: (text) => this.onText(text),
        onClose: (code) => this.onClose(code),
      },
    );
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The last processed pos of the user's stream. */
  get pos(): number {
    return this.cursor.pos;
  }

  /** Sends that have no answer yet, oldest first. */
  get pendingSends(): PendingSend[] {
    return this.outbox.all();
  }

  /**
   * Loads the stored state and connects. Resolves once the client is synced;
   * rejects if the token is refused or `close()` is called first. Failed
   * connections before that are retried, not reported.
   */
  async connect(): Promise<void> {
    this.assertUsable();
    await this.load();
    if (this.currentState === 'synced') return;
    const synced = new Promise<void>((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
    this.connection.start();
    return synced;
  }

  /**
   * Closes the connection for good, after saving the state and acking what
   * it covers (so the next connection replays less). Sends still waiting
   * reject with `client_closed` but stay in storage: a later `connect()`
   * re-sends them.
   */
  async close(): Promise<void> {
    try {
      if (this.loading && this.welcomed) {
        await this.saver.save();
        this.acks.flush();
      }
    } finally {
      this.shutDown();
    }
    if (this.loading) await this.saver.save();
  }

  /**
   * Sends a message: saves it in the outbox, writes it when connected, and
   * re-sends it with the same id after every reconnect until the server
   * answers. Resolves with the server's `sent` answer (its seq and time).
   */
  async send(conversation: string, body: MessageBody): Promise<SentFrame> {
    this.assertUsable();
    await this.load();
    const send: PendingSend = { id: globalThis.crypto.randomUUID(), conversation, body, createdAt: Date.now() };
    const answer = this.outbox.add(send);
    try {
      await this.saver.save();
    } catch (error) {
      this.outbox.reject(send.id, error instanceof Error ? error : new Error(String(error)));
      return answer;
    }
    this.outbox.markSaved(send.id);
    if (this.welcomed) this.writeSend(send);
    return answer;
  }

  /** Tells the server this user has read `conversation` up to `seq`. False when not connected. */
  markRead(conversation: string, seq: number): boolean {
    return this.welcomed && this.connection.send({ type: 'read', conversation, seq });
  }

  /** Starts or stops the typing indicator. False when not connected. */
  setTyping(conversation: string, active: boolean): boolean {
    return this.welcomed && this.connection.send({ type: 'typing', conversation, active });
  }

  /** An application-level ping (the client also pings on its own). False when not connected. */
  ping(): boolean {
    return this.connection.send({ type: 'ping' });
  }

  private shutDown(): void {
    this.connection.stop();
    this.welcomed = false;
    this.stopRetries();
    this.outbox.abandonWaiters(
      (send) => new ParleySendError('client_closed', 'the client was closed; the send stays in the outbox', send.id, send.conversation),
    );
    this.rejectSyncWaiters(new Error('the client was closed'));
    if (!isTerminal(this.currentState)) this.setState('closed');
  }

  private onText(text: string): void {
    const parsed = parseServerFrame(text);
    if (!parsed.ok) {
      this.emit('error', { type: 'error', code: 'bad_request', message: parsed.message });
      return;
    }
    this.dispatch(parsed.frame);
  }

  private dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'synced':
        if (!this.welcomed) return;
        this.setState('synced');
        this.emit('synced', { pos: frame.pos });
        for (const waiter of this.syncWaiters.splice(0)) waiter.resolve();
        return;
      case 'sent':
        return this.onSent(frame);
      case 'error':
        return this.onError(frame);
      case 'pong':
        return;
      case 'message':
      case 'receipt':
      case 'conversation':
        return this.onStreamEvent(frame);
      case 'typing':
        return this.emit('typing', frame);
      case 'presence':
        return this.emit('presence', frame);
    }
  }

  private onWelcome(frame: WelcomeFrame): void {
    this.connection.resetBackoff();
    this.acks.reset();
    // The stream's pos never goes down, and it is per user: a stored cursor
    // past the newest pos, or of another user, belongs to another stream.
    const anotherUser = this.user !== undefined && this.user !== frame.user;
    if (anotherUser) this.dropSendsOfAnotherUser();
    const staleCursor = anotherUser || frame.pos < this.cursor.pos;
    if (staleCursor) {
      this.cursor.reset();
      this.savedPos = 0;
    }
    this.user = frame.user;
    this.receivedPos = 0;
    this.welcomed = true;
    this.setState('open');
    if (staleCursor) this.persist();
    for (const send of this.outbox.ready()) this.writeSend(send);
    if (frame.resync === true) this.emit('resync', { pos: frame.pos });
  }

  /** Stored sends of another account must never go out under this one. */
  private dropSendsOfAnotherUser(): void {
    for (const send of this.outbox.all()) {
      const error = new ParleySendError('forbidden', 'the send was made by another user', send.id, send.conversation);
      this.outbox.reject(send.id, error);
      this.emit('sendFailed', error);
    }
  }

  private onStreamEvent(event: StreamEvent): void {
    if (!this.receiveEvents || !this.welcomed) return;
    this.receivedPos = Math.max(this.receivedPos, event.pos);
    const before = this.cursor.pos;
    const fresh = this.cursor.advance(event);
    if (this.cursor.pos === before) {
      // A replay of something already processed: the server did not get our ack, so repeat it.
      this.requestAck();
      return;
    }
    if (fresh) this.emitStreamEvent(event);
    this.persist();
  }

  private emitStreamEvent(event: StreamEvent): void {
    if (event.type === 'message') this.emit('message', event);
    else if (event.type === 'receipt') this.emit('receipt', event);
    else this.emit('conversation', event);
  }

  private onSent(frame: SentFrame): void {
    if (!this.outbox.resolve(frame)) return;
    clearTimeout(this.retryTimers.get(frame.id));
    this.retryTimers.delete(frame.id);
    this.emit('sent', frame);
    this.persist();
  }

  private onError(frame: ErrorFrame): void {
    const send = frame.ref === undefined ? undefined : this.outbox.get(frame.ref);
    if (!send) {
      this.emit('error', frame);
      return;
    }
    if (frame.code === 'rate_limited') {
      this.retryLater(send, frame.retryAfterMs ?? rateLimitedRetryDefaultMs);
      return;
    }
    const error = new ParleySendError(frame.code, frame.message, send.id, send.conversation);
    this.outbox.reject(send.id, error);
    this.emit('sendFailed', error);
    this.persist();
  }

  private retryLater(send: PendingSend, delayMs: number): void {
    clearTimeout(this.retryTimers.get(send.id));
    const timer = setTimeout(() => {
      this.retryTimers.delete(send.id);
      // After a reconnect in between, the welcome has re-sent it already; a second copy is harmless.
      if (this.welcomed && this.outbox.get(send.id)) this.writeSend(send);
    }, delayMs);
    this.retryTimers.set(send.id, timer);
  }

  private writeSend(send: PendingSend): void {
    this.connection.send({ type: 'send', id: send.id, conversation: send.conversation, body: send.body });
  }

  private onConnecting(): void {
    this.welcomed = false;
    this.setState('connecting');
  }

  private onClose(code: number): boolean {
    this.welcomed = false;
    if (code === CloseCode.unauthorized || code === CloseCode.deviceRevoked) {
      this.stopForGood(code === CloseCode.unauthorized ? 'unauthorized' : 'revoked');
      return false;
    }
    this.setState('connecting');
    return true;
  }

  /** The token will never work again: fail everything that waits on the connection. */
  private stopForGood(state: 'unauthorized' | 'revoked'): void {
    this.stopRetries();
    this.setState(state);
    const message = state === 'unauthorized' ? 'the server refused the token' : 'this device was revoked';
    this.outbox.abandonWaiters(
      (send) => new ParleySendError(state === 'unauthorized' ? 'unauthorized' : 'forbidden', message, send.id, send.conversation),
    );
    this.rejectSyncWaiters(new Error(`${state}: ${message}`));
  }

  private setState(state: ConnectionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }

  private assertUsable(): void {
    if (isTerminal(this.currentState)) throw new Error(`the client is ${this.currentState}: log in again for a new token`);
  }

  private load(): Promise<void> {
    this.loading ??= this.storage.load().then(
      (stored) => this.restore(stored ?? emptyClientState()),
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private restore(state: ClientState): void {
    this.user = state.user;
    this.cursor = new StreamCursor(state.pos, state.maxSeqByConversation);
    this.outbox = new Outbox(state.outbox);
    this.savedPos = state.pos;
  }

  private snapshot(): ClientState {
    return {
      ...(this.user === undefined ? {} : { user: this.user }),
      pos: this.cursor.pos,
      maxSeqByConversation: this.cursor.maxSeqByConversation(),
      outbox: this.outbox.all(),
    };
  }

  /** Saves in the background; the ack follows the save (see `afterSave`). */
  private persist(): void {
    this.saver.save().catch((error: unknown) => {
      this.emit('error', { type: 'error', code: 'internal', message: `could not save the client state: ${String(error)}` });
    });
  }

  private afterSave(state: ClientState): void {
    // A state of a cursor that was discarded since (another stream) must not be acked.
    if (state.user !== this.user || state.pos > this.cursor.pos) return;
    this.savedPos = Math.max(this.savedPos, state.pos);
    this.requestAck();
  }

  /** Acks what is both saved and received on this socket. */
  private requestAck(): void {
    const pos = Math.min(this.savedPos, this.receivedPos);
    if (this.receiveEvents && pos > 0) this.acks.request(pos);
  }

  private stopRetries(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private rejectSyncWaiters(error: Error): void {
    for (const waiter of this.syncWaiters.splice(0)) waiter.reject(error);
  }
}

function isTerminal(state: ConnectionState): boolean {
  return state === 'unauthorized' || state === 'revoked';
}
