import type {
  ConnectionState,
  ConversationEvent,
  IndexedDbStorage,
  MessageView,
  ParleyClient,
  ParleySendError,
  PendingSend,
  ReceiptEvent,
  ReceivedMessage,
  UserView,
} from '@parley/client';
import { ConversationList, type ChatSummary } from './conversation-list.js';
import { ConversationMessages } from './conversation-messages.js';
import { Topics, type Topic } from './topics.js';
import { UserDirectory } from './user-directory.js';

/** A message the server refused (e.g. the user left the group): its text stays on screen, never silently dropped. */
export interface FailedSend {
  id: string;
  conversation: string;
  text: string;
  reason: string;
}

/** What the banner says: no network, trying to reach the server, or caught up. */
export type Connectivity = 'offline' | 'connecting' | 'up-to-date' | 'logged-out' | 'revoked';

/** Wait before refetching the conversation list after events that change it, so a burst costs one fetch. */
const listRefreshDelayMs = 300;
const mutedForMs = 365 * 24 * 60 * 60 * 1000;
/** Wait before saving the chat list after a message changed it. */
const listSaveDelayMs = 300;
/** History requests in flight at once while filling in the previews of a new device's chat list. */
const previewFetchesMax = 4;

/**
 * The app's view of the SDK: it listens to the client's events and keeps
 * what the screens show (the chat list, the messages loaded per
 * conversation, typing, presence, names) with change notification by topic.
 * Every message comes from the SDK or its HTTP API; nothing here invents one.
 */
export class ChatStore {
  readonly topics = new Topics();
  readonly list = new ConversationList();
  private readonly conversations = new Map<string, ConversationMessages>();
  /** Sends the server refused for good, kept on screen with the reason until retried or dismissed. */
  private readonly failed = new Map<string, FailedSend>();
  /** The outbox as last seen, to show a message the moment the server answers `sent`. */
  private outbox = new Map<string, PendingSend>();
  private unsaved: MessageView[] = [];
  private listRefresh: ReturnType<typeof setTimeout> | undefined;
  private listWaiters: (() => void)[] = [];
  private listGeneration = 0;
  private listAppliedGeneration = 0;
  private fillingPreviews = false;
  /** A list came while previews were being filled: it may hold chats that run did not see. */
  private fillPreviewsAgain = false;
  private listSave: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** The list has come from the cache or the server at least once: an empty one means no chats. */
  listLoaded = false;
  private online = navigator.onLine;
  private readonly stops: (() => void)[] = [];
  /** Names, presence and blocks of the other users. */
  readonly people: UserDirectory;
  /** The conversation on screen while the page is visible: its messages count as read. */
  reading: string | undefined;
  /** Called for a message from someone else; the notifier decides whether to show it. */
  onIncoming: ((message: ReceivedMessage) => void) | undefined;

  constructor(
    readonly client: ParleyClient,
    readonly storage: IndexedDbStorage,
    readonly me: UserView,
  ) {
    this.people = new UserDirectory(client.api, me, () => this.topics.changed('users', 'list'));
    this.stops.push(
      client.on('message', (message) => this.onMessage(message)),
      client.on('history', (batch) => this.addMessages(batch.messages)),
      client.on('status', (receipts) => this.topics.changed(`conversation:${receipts.conversation}`, 'list')),
      client.on('sent', (frame) => this.onSent(frame.id, frame.conversation, frame.seq, frame.at)),
      client.on('sendFailed', (error) => this.onSendFailed(error)),
      client.on('receipt', (event) => this.onReceipt(event)),
      // Detail on a message not tracked for ticks any more (read by all, or old) changes no status: the info panel still shows it.
      client.on('receiptDetail', (event) => this.topics.changed(`conversation:${event.conversation}`)),
      client.on('conversation', (event) => this.onConversation(event)),
      client.on('typing', (event) => this.topics.changed(`conversation:${event.conversation}`, 'list')),
      client.on('presence', (event) => this.people.presence(event)),
      client.on('state', () => this.onState()),
      client.on('resync', () => this.refreshList(0)),
    );
    const onNetwork = () => {
      this.online = navigator.onLine;
      // Going offline, the socket may linger unnoticed; back online, the client may be deep in its backoff.
      // Either way a new connection now is right, and unanswered sends are re-sent with their ids.
      client.reconnectNow();
      this.topics.changed('connection');
    };
    addEventListener('online', onNetwork);
    addEventListener('offline', onNetwork);
    this.stops.push(() => removeEventListener('online', onNetwork), () => removeEventListener('offline', onNetwork));
  }

  /**
   * Shows the cached list at once, then connects and refreshes the list from
   * the server in the background: a slow or unreachable server never holds
   * up what this device already knows.
   */
  async start(): Promise<void> {
    const cached = (await this.storage.conversations()) as ChatSummary[];
    this.list.restore(cached);
    this.listLoaded = cached.length > 0;
    this.topics.changed('list');
    void this.client.connect().catch(() => this.topics.changed('connection'));
    this.outboxChanged();
    void this.refreshList(0);
    // Offline at start: the contact screen offers "Block" until a later start knows better.
    this.people.loadBlocked().catch(() => undefined);
  }

  /** Mutes a conversation's notifications on every device (push) and here; for a year, WhatsApp's "always". */
  async setMuted(conversation: string, muted: boolean): Promise<void> {
    const until = muted ? Date.now() + mutedForMs : null;
    await this.client.api.mute(conversation, until);
    this.list.mute(conversation, until);
    this.queueListSave(0);
    this.topics.changed('list', `conversation:${conversation}`);
  }

  /** Muted on any device: the server's list says so, and other devices learn of a change with their next list. */
  isMuted(conversation: string): boolean {
    return this.list.isMuted(conversation, Date.now());
  }

  /** Stops listening; nothing is written to the storage after this, which the caller may then close. */
  stop(): void {
    this.stopped = true;
    for (const stop of this.stops.splice(0)) stop();
    clearTimeout(this.listRefresh);
    clearTimeout(this.listSave);
    for (const resolve of this.listWaiters.splice(0)) resolve();
  }

  get connectivity(): Connectivity {
    const state: ConnectionState = this.client.state;
    if (state === 'unauthorized') return 'logged-out';
    if (state === 'revoked') return 'revoked';
    if (!this.online) return 'offline';
    return state === 'synced' ? 'up-to-date' : 'connecting';
  }

  messagesOf(conversation: string): ConversationMessages {
    let messages = this.conversations.get(conversation);
    if (messages === undefined) {
      messages = new ConversationMessages();
      this.conversations.set(conversation, messages);
    }
    return messages;
  }

  /** Sends from the composer: the message shows as pending until the server has it. */
  send(conversation: string, text: string): void {
    this.client.send(conversation, { text }).catch(() => this.outboxChanged(conversation));
    // `send` puts the message in the outbox once the state is loaded: look right after.
    void Promise.resolve().then(() => this.outboxChanged(conversation));
  }

  failedIn(conversation: string): FailedSend[] {
    return [...this.failed.values()].filter((send) => send.conversation === conversation);
  }

  /** Sends a refused message again, as a new message, or only drops it from the screen. */
  retryFailed(id: string, resend: boolean): void {
    const send = this.failed.get(id);
    if (send === undefined) return;
    this.failed.delete(id);
    if (resend) this.send(send.conversation, send.text);
    this.topics.changed(`conversation:${send.conversation}`);
  }

  pendingIn(conversation: string): PendingSend[] {
    return [...this.outbox.values()].filter((send) => send.conversation === conversation);
  }

  /** Opens a conversation: the cached messages first, then the newest page from the server, and the receipts. */
  async open(conversation: string): Promise<void> {
    const messages = this.messagesOf(conversation);
    if (!messages.cacheRead) {
      messages.add(await this.storage.recentMessages(conversation));
      messages.cacheRead = true;
    }
    this.topics.changed(`conversation:${conversation}`);
    const lastSeq = Math.max(this.list.get(conversation)?.lastSeq ?? 0, messages.highestSeq);
    // The cache usually holds the newest page; the list fetches whatever else comes into view.
    if (lastSeq > 0 && !messages.known(lastSeq)) await this.loadPage(conversation, lastSeq);
    // Without the members' receipts the ticks stay at "sent": never more than is known.
    await this.client.loadReceipts(conversation).catch(() => undefined);
    this.topics.changed(`conversation:${conversation}`);
  }

  /** Loads the page of history holding `seq`. Offline it loads nothing: the rows wait and ask again when next in view. */
  async loadPage(conversation: string, seq: number): Promise<void> {
    let added: MessageView[];
    try {
      added = await this.messagesOf(conversation).loadPageEndingAt(this.client.api, conversation, seq);
    } catch {
      return;
    }
    // Older pages change nothing in the chat list: only a page with newer messages than it knows re-renders it.
    const lastSeq = this.list.get(conversation)?.lastSeq ?? 0;
    const newer = added.filter((message) => message.seq > lastSeq);
    for (const message of newer) this.list.message(message, this.me.id, true);
    this.queueSave(added);
    this.topics.changed(`conversation:${conversation}`);
    if (newer.length > 0) this.topics.changed('list');
  }

  /** Marks everything shown in `conversation` as read, on the server and in the list. */
  markRead(conversation: string): void {
    const summary = this.list.get(conversation);
    const seq = Math.max(summary?.lastSeq ?? 0, this.messagesOf(conversation).highestSeq);
    if (summary === undefined || seq <= summary.readSeq) return;
    if (this.client.markRead(conversation, seq)) {
      this.list.read(conversation, seq);
      this.topics.changed('list');
    }
  }

  /**
   * Refetches the conversation list after `delayMs`: calls meanwhile share
   * one fetch, and every caller's promise resolves once a fetch started after
   * its call has been applied (or failed: offline, the list stays as it was).
   * A response older than one already applied is dropped.
   */
  refreshList(delayMs = listRefreshDelayMs): Promise<void> {
    clearTimeout(this.listRefresh);
    const applied = new Promise<void>((resolve) => this.listWaiters.push(resolve));
    this.listRefresh = setTimeout(() => {
      const waiters = this.listWaiters.splice(0);
      const generation = ++this.listGeneration;
      this.client.api
        .conversations()
        .then((summaries) => {
          if (this.stopped || generation < this.listAppliedGeneration) return;
          this.listAppliedGeneration = generation;
          this.list.replace(summaries);
          this.listLoaded = true;
          this.topics.changed('list');
          this.queueListSave(0);
          void this.fillPreviews();
        })
        // Offline or refused: the list stays as it was, and the next event or start refreshes it.
        .catch(() => undefined)
        .finally(() => {
          for (const resolve of waiters) resolve();
        });
    }, delayMs);
    return applied;
  }

  /**
   * Fetches the newest message of each listed conversation that has none
   * here (a new device, a cleared cache), a few at a time, for the previews,
   * once the stream has caught up. The list shows first; previews fill in
   * as they come.
   */
  private async fillPreviews(): Promise<void> {
    // Until the stream has caught up, the newest messages may be on their way: wait for them first.
    if (this.client.state !== 'synced') return;
    if (this.fillingPreviews) {
      this.fillPreviewsAgain = true;
      return;
    }
    this.fillingPreviews = true;
    try {
      do {
        this.fillPreviewsAgain = false;
        await this.fillMissingPreviews();
      } while (this.fillPreviewsAgain && !this.stopped);
      this.queueListSave(0);
    } catch {
      // A preview is a convenience: the chat itself loads its history when opened.
    } finally {
      this.fillingPreviews = false;
    }
  }

  private async fillMissingPreviews(): Promise<void> {
    const missing = this.list.all.filter((chat) => chat.preview === undefined && chat.lastSeq > 0);
    const worker = async () => {
      for (let chat = missing.shift(); chat !== undefined && !this.stopped; chat = missing.shift()) {
        // The message cache is written as messages arrive, so it often has the newest one already.
        const [cached] = await this.storage.recentMessages(chat.id, 1);
        const messages = cached !== undefined && cached.seq >= chat.lastSeq ? [cached] : (await this.client.api.history(chat.id, { limit: 1 })).messages;
        for (const message of messages) this.list.message(message, this.me.id, false);
        this.topics.changed('list');
      }
    };
    await Promise.all(Array.from({ length: previewFetchesMax }, worker));
  }

  /** Saves the chat list (with its previews and counts) for the next start, once for a burst of changes. */
  private queueListSave(delayMs = listSaveDelayMs): void {
    clearTimeout(this.listSave);
    this.listSave = setTimeout(() => {
      if (this.stopped) return;
      // The cache is a copy of the server's list: a failed write costs a slower next start, nothing else.
      this.storage.saveConversations([...this.list.all]).catch(() => undefined);
    }, delayMs);
  }

  private onMessage(message: ReceivedMessage): void {
    const beingRead = this.reading === message.conversation;
    this.addMessages([message]);
    if (!this.list.message(message, this.me.id, beingRead)) void this.refreshList();
    if (message.sender !== this.me.id) {
      if (beingRead) this.markRead(message.conversation);
      this.onIncoming?.(message);
    }
    this.queueListSave();
    this.topics.changed('list');
  }

  private addMessages(messages: MessageView[]): void {
    for (const message of messages) this.messagesOf(message.conversation).add([message]);
    this.queueSave(messages);
    for (const conversation of new Set(messages.map((message) => message.conversation))) {
      this.topics.changed(`conversation:${conversation}`);
    }
  }

  private onSent(id: string, conversation: string, seq: number, at: number): void {
    const pending = this.outbox.get(id);
    if (pending !== undefined) {
      // The message event from the stream may come later: show it as sent now.
      const message: MessageView = { conversation, seq, id, sender: this.me.id, device: '', at, body: pending.body };
      this.messagesOf(conversation).add([message]);
      this.queueSave([message]);
      this.list.message(message, this.me.id, true);
      this.queueListSave();
      this.topics.changed('list');
    }
    this.outboxChanged(conversation);
  }

  private onSendFailed(error: ParleySendError): void {
    const pending = this.outbox.get(error.id);
    // A send cut short by closing the client stays in the outbox: only a refusal is final.
    if (pending !== undefined && error.code !== 'client_closed') {
      this.failed.set(error.id, { id: error.id, conversation: error.conversation, text: pending.body.text, reason: error.message });
    }
    this.outboxChanged(error.conversation);
  }

  private onReceipt(event: ReceiptEvent): void {
    if (event.user !== this.me.id || event.status !== 'read') return;
    const summary = this.list.get(event.conversation);
    this.list.read(event.conversation, event.seq);
    // Read on another device up to a point before the end: only the server knows how many are left.
    if (summary !== undefined && event.seq < summary.lastSeq) void this.refreshList();
    this.topics.changed('list');
  }

  private onConversation(event: ConversationEvent): void {
    void this.refreshList();
    this.topics.changed(`conversation:${event.conversation}`);
  }

  private onState(): void {
    this.outboxChanged();
    if (this.client.state === 'synced') {
      // A chat read while the connection was down is marked read once it is back.
      if (this.reading !== undefined) this.markRead(this.reading);
      void this.fillPreviews();
    }
    this.topics.changed('connection');
  }

  private outboxChanged(conversation?: string): void {
    this.outbox = new Map(this.client.pendingSends.map((send) => [send.id, send]));
    const topics: Topic[] = conversation === undefined ? [...this.conversations.keys()].map((id) => `conversation:${id}` as const) : [`conversation:${conversation}`];
    this.topics.changed('list', ...topics);
  }

  /** Writes new messages to the cache in one transaction per task. */
  private queueSave(messages: MessageView[]): void {
    if (messages.length === 0) return;
    if (this.stopped) return;
    const first = this.unsaved.length === 0;
    this.unsaved.push(...messages);
    if (!first) return;
    setTimeout(() => {
      const batch = this.unsaved.splice(0);
      if (this.stopped) return;
      // The cache is a copy of what the server keeps: a failed write costs a slower next load, nothing else.
      this.storage.saveMessages(batch).catch(() => undefined);
    }, 0);
  }
}
