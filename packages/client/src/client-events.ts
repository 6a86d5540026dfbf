import type {
  ConversationEvent,
  ErrorFrame,
  MessageEvent,
  PresenceEvent,
  ReceiptEvent,
  SentFrame,
  TypingEvent,
} from '@parley/protocol';
import type { ParleySendError } from './parley-send-error.js';

/**
 * Where a client stands. `open`: welcomed, replay under way; `synced`: caught
 * up, events are live; `connecting`: opening a socket or waiting to retry.
 * `unauthorized` (close 4401) and `revoked` (4403) are terminal: the token
 * will not work again, so the client stops for good.
 */
export type ConnectionState = 'closed' | 'connecting' | 'open' | 'synced' | 'unauthorized' | 'revoked';

/** The events a `ParleyClient` emits, by name. */
export interface ClientEvents {
  /** A message not surfaced before, in stream order. */
  message: MessageEvent;
  /** The server accepted a send (including one restored from storage). */
  sent: SentFrame;
  /** A send was refused for good; its promise, if it still has one, rejects with the same error. */
  sendFailed: ParleySendError;
  receipt: ReceiptEvent;
  conversation: ConversationEvent;
  typing: TypingEvent;
  presence: PresenceEvent;
  state: ConnectionState;
  /**
   * The device was away longer than the server keeps events (welcome's
   * `resync`): nothing is replayed, so the app must refetch its conversations
   * and their history over HTTP.
   */
  resync: { pos: number };
  /** The replay is over: every event up to `pos` has been received. */
  synced: { pos: number };
  /**
   * An error the server reported without naming a pending send, or a problem
   * on this side: a frame the client could not read (`bad_request`) or a
   * state it could not save (`internal`).
   */
  error: ErrorFrame;
}
