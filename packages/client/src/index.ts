// The browser-safe SDK: nothing here imports a `node:` module.
export { ParleyApi, type ParleyApiOptions, type HistoryOptions } from './api.js';
export { ParleyApiError } from './parley-api-error.js';
export { ParleyClient, type ParleyClientOptions, type PullHistoryOptions } from './client.js';
export type { ClientEvents, ConnectionState, HistoryBatch, ReceivedMessage } from './client-events.js';
export type { MessageReceipts, MessageStatus } from './receipt-tracker.js';
export type { BackfillResult } from './history-backfill.js';
export { systemClock, type Clock } from './clock.js';
export {
  emptyClientState,
  parseClientState,
  type ClientState,
  type ClientStorage,
  type PendingSend,
} from './client-storage.js';
export { MemoryStorage } from './memory-storage.js';
export { IndexedDbStorage, type IndexedDbStorageOptions } from './indexed-db-storage.js';
export { ParleySendError } from './parley-send-error.js';
export { reconnectDelayMs } from './backoff.js';
export { webSocketUrlOf, type WebSocketConstructor, type WebSocketLike } from './web-socket-like.js';
export type { Listener } from './typed-emitter.js';

// The wire types an app works with, so it needs no direct dependency on the protocol package.
export type {
  ConversationEvent,
  ConversationSummaryView,
  ConversationView,
  DeviceView,
  ErrorCode,
  LinkCodeView,
  LoginRequest,
  ErrorFrame,
  MeView,
  MemberView,
  MessageBody,
  MessageEvent,
  MessagePage,
  MessageReceiptsView,
  MessageView,
  PresenceEvent,
  PushProvidersView,
  PushRegistrationRequest,
  PushRegistrationView,
  ReceiptDetailFrame,
  ReceiptEvent,
  RecipientReceiptView,
  SentFrame,
  SessionView,
  TypingEvent,
  UserView,
} from '@parley/protocol';
