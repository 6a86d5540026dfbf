import {
  PROTOCOL_VERSION,
  CloseCode,
  parseServerFrame,
  reconnectBackoff,
  type MessageBody,
  type MessageReceiptsView,
  type SentFrame,
  type ServerFrame,
  type StreamEvent,
  type WelcomeFrame,
} from '@parley/protocol';
import { AckScheduler } from './ack-scheduler.js';
import { ParleyApi } from './api.js';
import type { ClientEvents, ConnectionState, ReceivedMessage } from './client-events.js';
import { emptyClientState, type ClientState, type ClientStorage, type PendingSend } from './client-storage.js';
import { MemoryStorage } from './memory-storage.js';
import { ParleySendError } from './parley-send-error.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { StateSaver } from './state-saver.js';
import { SendQueue, type SendQueueHost } from './send-queue.js';
import { StreamCursor } from './stream-cursor.js';
import { TypedEmitter } from './typed-emitter.js';
import { systemClock } from './clock.js';
import type { BackfillResult } from './history-backfill.js';
import { HistorySync, type HistorySyncHost } from './history-sync.js';
import { ParleyApiError } from './parley-api-error.js';
import { MessageStatusFeed } from './message-status-feed.js';
import type { MessageReceipts } from './receipt-tracker.js';
import { TypingThrottle } from './typing-throttle.js';
import { TypingTracker } from './typing-tracker.js';
import { webSocketUrlOf } from './web-socket-like.js';
import type { ParleyClientOptions, PullHistoryOptions } from './client-options.js';

export type { ParleyClientOptions, PullHistoryOptions } from './client-options.js';

/** Close code for a connection replaced because stream frames were dropped while history was fetched. */
const heldFramesDroppedCode = 4000;
/** Close code for a connection replaced because the app reported a network change. */
const networkChangedCode = 4001;

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
  /** The HTTP API with this device's token. */
  readonly api: ParleyApi;
  private currentState: ConnectionState = 'closed';
  /** The caller's `close()`, until the next `connect()`. */
  private closing: Promise<void> | undefined;
  private user: string | undefined;
  private cursor = new StreamCursor(0, {});
  private readonly sends: SendQueue;
  /** The current socket got its `welcome`: frames other than `hello` may go out. */
  private welcomed = false;
  private loading: Promise<void> | undefined;
  private syncWaiters: { resolve(): void; reject(error: Error): void }[] = [];
  private readonly storage: ClientStorage;
  private readonly connection: ReconnectingSocket;
  private readonly saver: StateSaver;
  private readonly acks: AckScheduler;
  private readonly receiveEvents: boolean;
  private readonly history: HistorySync;
  private readonly statuses: MessageStatusFeed;
  private readonly typing: TypingTracker;
  private readonly typingThrottle: TypingThrottle;
  /** The conversation whose receipt detail the app follows; each connection is asked anew. */
  private watchedReceipts: string | null = null;

  constructor(options: ParleyClientOptions) {
    super();
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    if (!WebSocketClass) throw new Error('no WebSocket available: pass options.WebSocket or use @parley/client/node');
    this.api = new ParleyApi({ baseUrl: options.url, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.storage = options.storage ?? new MemoryStorage();
    this.receiveEvents = options.receiveEvents ?? true;
    const clock = options.clock ?? systemClock;
    this.typing = new TypingTracker({ clock, expiryMs: options.typingExpiryMs ?? 6_000, onChange: (event) => this.emit('typing', event) });
    this.typingThrottle = new TypingThrottle({
      clock,
      refreshIntervalMs: options.typingRefreshIntervalMs ?? 3_000,
      send: (frame) => this.welcomed && this.connection.send(frame),
    });
    this.statuses = new MessageStatusFeed(
      this.api,
      { status: (receipts) => this.emit('status', receipts), error: (error, what) => this.reportError(error, what) },
      this.receiveEvents,
    );
    this.history = new HistorySync(this.historyHost(), {
      resyncPerConversation: options.resyncPerConversation ?? 50,
      heldFramesMax: options.heldFramesMax ?? 10_000,
      random: options.random ?? Math.random,
    });
    this.sends = new SendQueue(this.sendQueueHost());
    this.saver = new StateSaver(this.storage, () => this.snapshot(), (state) => this.afterSave(state));
    this.acks = new AckScheduler((frame) => this.welcomed && this.connection.send(frame));
    this.connection = new ReconnectingSocket(
      {
        url: () => webSocketUrlOf(options.url, this.user ?? options.user),
        WebSocket: WebSocketClass,
        random: options.random ?? Math.random,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 25_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        reconnectDelayMaxMs: options.reconnectDelayMaxMs ?? reconnectBackoff.maxDelayMs,
      },
      {
        onConnecting: () => this.onConnecting(),
        onOpen: () => this.connection.send({ type: 'hello', token: options.token, protocol: PROTOCOL_VERSION }),
        onText: (text) => this.onText(text),
        onClose: (code) => this.onClose(code),
        onRetry: (delayMs, attempt) => this.emit('retry', { delayMs, attempt }),
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
    return this.sends.all();
  }

  /**
   * Loads the stored state and connects. Resolves once the client is synced;
   * rejects if the token is refused or `close()` is called first. Failed
   * connections before that are retried, not reported.
   */
  async connect(): Promise<void> {
    this.assertUsable();
    this.closing = undefined;
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
   * re-sends them. Closing again before the next `connect()` waits for the
   * first close and writes nothing.
   */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
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
    return this.sends.send(conversation, body);
  }

  /** Tells the server this user has read `conversation` up to `seq`. False when not connected. */
  markRead(conversation: string, seq: number): boolean {
    return this.welcomed && this.connection.send({ type: 'read', conversation, seq });
  }

  /** Starts or stops the typing indicator; call it on every keystroke (see `TypingThrottle`). False when not connected. */
  setTyping(conversation: string, active: boolean): boolean {
    return this.typingThrottle.setTyping(conversation, active);
  }

  /** The users typing in `conversation` now, in the order they started. */
  typingIn(conversation: string): string[] {
    return this.typing.typingIn(conversation);
  }

  /** The receipt state of the user's own message `seq`, as known now; `status` events report changes. */
  receiptsOf(conversation: string, seq: number): MessageReceipts {
    return this.statuses.receiptsOf(conversation, seq);
  }

  /** Loads the members' receipts over HTTP (done by itself once the user's first message there is seen). */
  loadReceipts(conversation: string): Promise<void> {
    return this.statuses.load(conversation);
  }

  /**
   * Loads who has the user's message `seq` and who has read it (in a group
   * the stream's receipts say only when everyone has), into `receiptsOf`;
   * resolves with the server's answer, which lists the message's recipients.
   */
  loadReceiptDetail(conversation: string, seq: number): Promise<MessageReceiptsView> {
    return this.statuses.loadDetail(conversation, seq);
  }

  /**
   * Follows, live, every member's receipts on the user's messages in one
   * group (`receiptDetail` events, and `status` as `deliveredTo`/`readBy`
   * change), e.g. while a message's info is on screen; `null` stops. One
   * conversation at a time; the client asks again after each reconnect.
   * False when not connected now (it still asks once connected).
   */
  watchReceipts(conversation: string | null): boolean {
    this.watchedReceipts = conversation;
    return this.welcomed && this.connection.send({ type: 'watch_receipts', conversation });
  }

  /**
   * Fetches the newest messages of every conversation over HTTP and surfaces
   * those not surfaced yet, e.g. on a newly linked device (see `HistorySync`
   * for the order). Call it before or after `connect`.
   */
  async pullHistory(options: PullHistoryOptions = {}): Promise<BackfillResult> {
    this.assertUsable();
    await this.load();
    return this.history.pull(options.perConversation ?? 50);
  }

  /**
   * Replaces the connection at once, for when the app learns the network
   * changed (the browser's `online` and `offline` events): a socket from
   * before may be dead without knowing it for up to `idleTimeoutMs`, and a
   * wait for the next attempt may be up to 30 s. The current socket, if any,
   * is closed; unanswered sends are re-sent on the new one with their ids, so
   * each still lands once. False when the client is closed or stopped.
   */
  reconnectNow(): boolean {
    return this.connection.retryNow(networkChangedCode, 'network changed');
  }

  /** An application-level ping (the client also pings on its own). False when not connected. */
  ping(): boolean {
    return this.connection.send({ type: 'ping' });
  }

  private shutDown(): void {
    this.connection.stop();
    this.welcomed = false;
    this.stopFeatures();
    this.sends.abandon(
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
    const streamFrame = frame.type === 'synced' || frame.type === 'message' || frame.type === 'receipt' || frame.type === 'conversation';
    if (streamFrame && this.welcomed && this.history.holdFrame(frame)) return;
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
        this.sends.answer(frame);
        return;
      case 'error':
        if (!this.sends.refuse(frame)) this.emit('error', frame);
        else if (frame.code === 'rate_limited' || frame.code === 'unavailable') this.emit('sendDelayed', frame);
        return;
      case 'pong':
        return;
      case 'message':
      case 'receipt':
      case 'conversation':
        return this.onStreamEvent(frame);
      case 'typing':
        return this.typing.apply(frame);
      case 'presence':
        return this.emit('presence', frame);
      case 'receipt_detail':
        this.statuses.detail(frame);
        return this.emit('receiptDetail', frame);
    }
  }

  private onWelcome(frame: WelcomeFrame): void {
    this.connection.resetBackoff();
    this.acks.reset();
    // The stream's pos never goes down, and it is per user: a stored cursor
    // past the newest pos, or of another user, belongs to another stream.
    const anotherUser = this.user !== undefined && this.user !== frame.user;
    if (anotherUser) this.sends.dropAll();
    const staleCursor = anotherUser || frame.pos < this.cursor.pos;
    if (staleCursor) {
      this.cursor.reset();
      this.acks.restoreSaved(0);
    }
    if (anotherUser) this.history.resyncPending = false;
    this.user = frame.user;
    this.statuses.setUser(frame.user);
    this.typingThrottle.reset();
    this.welcomed = true;
    this.setState('open');
    if (staleCursor) this.persist();
    this.sends.resendAll();
    if (this.watchedReceipts !== null) this.connection.send({ type: 'watch_receipts', conversation: this.watchedReceipts });
    if (this.receiveEvents) this.history.welcomed(frame.pos, frame.resync === true);
  }

  private onStreamEvent(event: StreamEvent): void {
    if (!this.receiveEvents || !this.welcomed) return;
    this.acks.received(event.pos);
    const before = this.cursor.pos;
    const fresh = this.cursor.advance(event);
    if (this.cursor.pos === before) {
      // A replay of something already processed: the server did not get our ack, so repeat it.
      this.acks.requestDue();
      return;
    }
    if (fresh) this.emitStreamEvent(event);
    this.persist();
  }

  private emitStreamEvent(event: StreamEvent): void {
    if (event.type === 'message') {
      this.surfaceMessage({ ...event, source: 'stream' });
    } else if (event.type === 'receipt') {
      this.statuses.receipt(event);
      this.emit('receipt', event);
    } else {
      this.statuses.conversation(event);
      this.emit('conversation', event);
    }
  }

  /** Surfaces a message whose (conversation, seq) was admitted as new. */
  private surfaceMessage(message: ReceivedMessage): void {
    if (message.source === 'stream') this.typing.messageFrom(message.conversation, message.sender);
    this.emit('message', message);
    this.statuses.message(message);
  }

  private sendQueueHost(): SendQueueHost {
    return {
      write: (frame) => this.welcomed && this.connection.send(frame),
      save: () => this.saver.save(),
      answered: (frame) => {
        this.typingThrottle.messageSent(frame.conversation);
        this.emit('sent', frame);
        this.statuses.sent(frame.conversation, frame.seq);
        this.persist();
      },
      failed: (error) => {
        this.emit('sendFailed', error);
        this.persist();
      },
    };
  }

  private historyHost(): HistorySyncHost {
    return {
      api: this.api,
      surfaced: () => this.cursor.surfaced,
      surfaceMessage: (message) => this.surfaceMessage(message),
      surfaceHistory: (batch) => {
        this.emit('history', batch);
        for (const message of batch.messages) this.statuses.message(message);
        this.persist();
      },
      release: (frames) => {
        this.persist();
        for (const frame of frames) this.dispatch(frame);
      },
      reconnect: () => this.connection.restart(heldFramesDroppedCode, 'frames dropped while fetching history'),
      save: async () => {
        await this.saver.save();
      },
      resynced: ({ pos, conversations, messages }) => this.emit('resync', { pos, conversations, messages }),
      reportError: (error, what) => this.reportError(error, what),
    };
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
    this.stopFeatures();
    this.setState(state);
    const message = state === 'unauthorized' ? 'the server refused the token' : 'this device was revoked';
    this.sends.abandon(
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
    this.cursor = new StreamCursor(state.pos, state.maxSeqByConversation, state.minSeqByConversation);
    this.sends.restore(state.outbox);
    this.acks.restoreSaved(state.pos);
    this.history.resyncPending = state.resyncPending === true;
  }

  private snapshot(): ClientState {
    return {
      ...(this.user === undefined ? {} : { user: this.user }),
      pos: this.cursor.pos,
      maxSeqByConversation: this.cursor.maxSeqByConversation(),
      minSeqByConversation: this.cursor.surfaced.minSeqByConversation(),
      outbox: this.sends.all(),
      ...(this.history.resyncPending ? { resyncPending: true } : {}),
    };
  }

  /**
   * Saves in the background; the ack follows the save (see `afterSave`).
   * Not once closed: `close()` saved the state last, and work that ends after
   * it (a history pull under way) surfaces nothing more, so a save then would
   * only write storage the app may be removing.
   */
  private persist(): void {
    if (this.closing !== undefined) return;
    this.saver.save().catch((error: unknown) => this.reportError(error, 'could not save the client state'));
  }

  /** A failure on this side, or of an HTTP call the client made by itself, as an `error` event. */
  private reportError(error: unknown, what: string): void {
    const code = error instanceof ParleyApiError ? error.code : 'internal';
    this.emit('error', { type: 'error', code, message: `${what}: ${error instanceof Error ? error.message : String(error)}` });
  }

  private afterSave(state: ClientState): void {
    // A state of a cursor that was discarded since (another stream) must not be acked.
    if (state.user !== this.user || state.pos > this.cursor.pos) return;
    this.acks.saved(state.pos);
  }

  /** Nothing fetched or expiring may surface once the client has stopped. */
  private stopFeatures(): void {
    this.history.stop();
    this.typing.clear();
  }

  private rejectSyncWaiters(error: Error): void {
    for (const waiter of this.syncWaiters.splice(0)) waiter.reject(error);
  }
}

function isTerminal(state: ConnectionState): boolean {
  return state === 'unauthorized' || state === 'revoked';
}
