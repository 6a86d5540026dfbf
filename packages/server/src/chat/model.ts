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
  /** `userId` null: a group's aggregate receipt, for every current member but the stream's owner. */
  | { kind: 'receipt'; pos: number; conversationId: string; userId: string | null; status: ReceiptStatus; seq: number }
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

/**
 * What a receipt event says: `user` has received (or read) the conversation
 * up to `seq`; or, with `user` null (groups), every current member but the
 * stream's owner has received (read) every message of the owner up to `seq`.
 */
export interface ReceiptData {
  user: string | null;
  status: ReceiptStatus;
  seq: number;
}

/**
 * A member's delivered or read seq moved in a group: what the senders of the
 * newly covered messages see live while they watch the conversation's
 * receipts. Never stored: the aggregate receipts are the durable record.
 */
export interface ReceiptMove {
  conversationId: string;
  /** The member whose seq moved. */
  userId: string;
  status: ReceiptStatus;
  /** The member's new delivered (read) seq. */
  seq: number;
  /** The current members whose messages it newly covers, the member left out. */
  senders: string[];
}

/** What an ack or a read made: receipt events appended to streams, and the per-member moves in groups. */
export interface ReceiptsMade {
  appended: Appended[];
  moves: ReceiptMove[];
}

/** What a conversation event says: a change to the conversation, made `by` a member. */
export interface ConversationData {
  change: ConversationChange;
  conversationKind: ConversationKind;
  members: string[];
  /** The group's name for `created` and `renamed`; empty otherwise. */
  name: string;
  by: string;
}

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
  /** The user's mute of the conversation (`setMute`), as set: it may have ended. */
  mutedUntil: number | null;
}
