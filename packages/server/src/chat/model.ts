/**
 * The domain model: what the core and the store speak. Wire shapes live in
 * `@parley/protocol` and are mapped from these in `gateway/wire.ts` and the
 * HTTP routes, never used as domain types.
 */
import type { ConversationChange, ConversationKind, LastSeenSetting, ReceiptStatus } from '@parley/protocol';

export interface User {
  id: string;
  username: string;
  displayName: string;
  createdAt: number;
  /** Who may see when the user was last online. */
  lastSeen: LastSeenSetting;
  /** When the user's last device went offline; null if never or unknown. */
  lastSeenAt: number | null;
}

export interface Device {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
  lastActiveAt: number;
  /** Every event of the user's stream up to this pos has been processed by the device. */
  ackedPos: number;
}

export interface Conversation {
  id: string;
  kind: ConversationKind;
  /** The group's name; empty for a direct conversation. */
  name: string;
  createdAt: number;
  createdBy: string;
  /** The seq of the newest message; 0 before the first. */
  lastSeq: number;
}

export type MemberRole = 'admin' | 'member';

export interface Member {
  conversationId: string;
  userId: string;
  role: MemberRole;
  joinedAt: number;
  /** Messages with seq above this are visible to the member. */
  joinedAfterSeq: number;
  /** Set once the member has left or was removed: they see nothing after this seq. */
  leftAtSeq: number | null;
  deliveredSeq: number;
  readSeq: number;
}

export interface Message {
  conversationId: string;
  seq: number;
  /** The client-made UUID, lower case. */
  id: string;
  senderId: string;
  deviceId: string;
  at: number;
  /** The body's JSON text, stored as given. */
  bodyJson: string;
  /** The stored body cannot be read (it failed to decrypt): `bodyJson` is the placeholder `{"text":""}`. */
  unreadable?: true;
}

/** A message as a client asks to append it, before the store gives it a seq. */
export interface MessageDraft {
  conversationId: string;
  id: string;
  senderId: string;
  deviceId: string;
  at: number;
  bodyJson: string;
}

/** One user's copy of a message event: the pos it got in that user's stream. */
export interface Delivery {
  userId: string;
  pos: number;
}

export interface AppendResult {
  message: Message;
  /** Empty when the draft was a retry of a message already stored. */
  deliveries: Delivery[];
  /** True when `(sender, id)` was already stored with the same content. */
  duplicate: boolean;
}

export type StreamEntry =
  | { kind: 'message'; pos: number; message: Message }
  | { kind: 'receipt'; pos: number; conversationId: string; userId: string; status: ReceiptStatus; seq: number }
  | {
      kind: 'conversation';
      pos: number;
      conversationId: string;
      change: ConversationChange;
      conversationKind: ConversationKind;
      members: string[];
      name: string;
      by: string;
    };

/** An entry a write appended to one user's stream, to publish on the bus after commit. */
export interface Appended {
  userId: string;
  entry: StreamEntry;
}

/** A conversation as one member sees it in their list. */
export interface ConversationSummary {
  conversation: Conversation;
  /** For a direct conversation, the other member. */
  peer: User | null;
  readSeq: number;
  unread: number;
  lastMessageAt: number | null;
}
