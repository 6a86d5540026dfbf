import type {
  ConversationEvent,
  ErrorFrame,
  MessageView,
  PresenceEvent,
  ReceiptDetailFrame,
  ReceiptEvent,
  SentFrame,
  TypingEvent,
} from '@parley/protocol';
import type { ParleySendError } from './parley-send-error.js';
import type { MessageReceipts } from './receipt-tracker.js';

/** A message surfaced to the app: each (conversation, seq) is surfaced once, as this or in a `history` batch. */
export interface ReceivedMessage extends MessageView {
  type: 'message';
  /** Its pos in the user's stream; absent when it was fetched over HTTP. */
  pos?: number;
  /** `stream`: live or replayed; `history`: fetched over HTTP by a resync or a history pull. */
  source: 'stream' | 'history';
}

/**
 * Messages fetched over HTTP that are older than every message surfaced so far
 * in their conversation (a UI prepends them), in ascending seq.
 */
export interface HistoryBatch {
  conversation: string;
  messages: ReceivedMessage[];
}

/**
 * Where a client stands. `open`: welcomed, replay under way; `synced`: caught
 * up, events are live; `connecting`: opening a socket or waiting to retry.
 * `unauthorized` (close 4401) and `revoked` (4403) are terminal: the token
 * will not work again, so the client stops for good.
 */
export type ConnectionState = 'closed' | 'connecting' | 'open' | 'synced' | 'unauthorized' | 'revoked';

/** The events a `ParleyClient` emits, by name. */
export interface ClientEvents {
  /**
   * A message not surfaced before. Per conversation, messages come in
   * ascending seq, each newer than every one before it: from the stream, or
   * fetched over HTTP (a resync or `pullHistory`) ahead of the stream events
   * that follow them.
   */
  message: ReceivedMessage;
  /** Older messages fetched by `pullHistory` or a resync, to go before everything surfaced so far. */
  history: HistoryBatch;
  /** The receipt state of one of the user's own messages changed (or it became known: status `sent`). */
  status: MessageReceipts;
  /** The server accepted a send (including one restored from storage). */
  sent: SentFrame;
  /** A send was refused for good; its promise, if it still has one, rejects with the same error. */
  sendFailed: ParleySendError;
  /**
   * A send was refused for now (`rate_limited`, or `unavailable`: the server
   * cannot store messages just now) and stays in the outbox; the client sends
   * it again after `retryAfterMs`. For telling the user why it is taking long.
   */
  sendDelayed: ErrorFrame;
  receipt: ReceiptEvent;
  /** A member's delivered or read seq moved in the group the app watches (`watchReceipts`); never replayed. */
  receiptDetail: ReceiptDetailFrame;
  conversation: ConversationEvent;
  /** Someone started or stopped typing; a stop is also reported when an indicator expires unrefreshed. */
  typing: TypingEvent;
  presence: PresenceEvent;
  state: ConnectionState;
  /** The connection failed or closed, and the next attempt starts in `delayMs` (with jitter); `attempt` counts from 1 since the last good connection. */
  retry: { delayMs: number; attempt: number };
  /**
   * The device was away longer than the server keeps events (welcome's
   * `resync`), and the client has refetched the newest history of every
   * conversation over HTTP and surfaced what was new (as `message` and
   * `history` events). Conversation metadata may have changed too: refetch it.
   */
  resync: { pos: number; conversations: number; messages: number };
  /** The replay is over: every event up to `pos` has been received. */
  synced: { pos: number };
  /**
   * An error the server reported without naming a pending send, or a problem
   * on this side: a frame the client could not read (`bad_request`) or a
   * state it could not save (`internal`).
   */
  error: ErrorFrame;
}
