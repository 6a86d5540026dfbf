/**
 * The Store port: the system of record. Adapters: `SqliteStore` (embedded
 * default) and, later, a PostgreSQL one; both must pass `describeStoreContract`.
 *
 * Guarantees every adapter gives:
 * - A promise that resolves means the write is durable (committed with the
 *   adapter's durability settings); a rejected one wrote nothing.
 * - `seq` (per conversation) and `pos` (per user) are dense, start at 1, and
 *   are assigned inside the transaction that inserts the row they number.
 * - Expected refusals reject with `ParleyError` (`not_found`, `conflict`, …);
 *   anything else is an operating failure.
 */
import type {
  AppendResult,
  Conversation,
  ConversationSummary,
  Device,
  Member,
  Message,
  MessageDraft,
  StreamEntry,
  User,
} from '../chat/model.js';
import type { LastSeenSetting } from '@parley/protocol';

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: number;
}

export interface NewDevice {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the device token; the token itself is never stored. */
  tokenHash: Buffer;
  createdAt: number;
}

export interface UserPatch {
  displayName?: string;
  lastSeen?: LastSeenSetting;
}

export interface AccountStore {
  /** Rejects with `conflict` when the username is taken. */
  createUser(user: NewUser): Promise<User>;
  /** The user and password hash for a username (already lower case). */
  findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
  getUser(id: string): Promise<User | undefined>;
  /** Rejects with `not_found` for an unknown user. */
  updateUser(id: string, patch: UserPatch): Promise<User>;
  /** Users whose username or display name starts with `query` (case-insensitive), by username. */
  searchUsers(query: string, limit: number): Promise<User[]>;

  /**
   * Adds a device that starts at the user's current pos (it sees only events
   * made after it). Rejects with `conflict` when the user already has
   * `maxDevices` devices; the check and the insert are one transaction.
   */
  createDevice(device: NewDevice, maxDevices: number): Promise<Device>;
  /** The live device holding a token, and its user: one indexed lookup. */
  authenticate(tokenHash: Buffer): Promise<{ device: Device; user: User } | undefined>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  listDevices(userId: string): Promise<Device[]>;
  /** Deletes the device and its token. False when the user has no such device. */
  revokeDevice(userId: string, deviceId: string): Promise<boolean>;
}

export interface NewDirectConversation {
  id: string;
  userIds: [string, string];
  createdBy: string;
  createdAt: number;
}

export interface ConversationStore {
  /**
   * Returns the direct conversation of the pair, creating it (and a `created`
   * event in both members' streams) when there is none. At most one per pair,
   * even under concurrent calls.
   */
  openDirectConversation(draft: NewDirectConversation): Promise<{ conversation: Conversation; created: boolean }>;
  getConversation(id: string): Promise<Conversation | undefined>;
  /** The membership of a user, current or past (`leftAtSeq` set). */
  getMember(conversationId: string, userId: string): Promise<Member | undefined>;
  listMembers(conversationId: string): Promise<Member[]>;
  /** The user's current conversations, newest activity first. */
  listConversations(userId: string): Promise<ConversationSummary[]>;
}

export interface HistoryRange {
  /** Only seqs below this. */
  before?: number;
  /** Only seqs above this. */
  after?: number;
  limit: number;
}

export interface MessageStore {
  /**
   * In one transaction: checks the sender is a current member (else
   * `not_found`, or `not_member` for a former member); returns the stored
   * message when `(sender, id)` exists with the same conversation and body
   * (`duplicate: true`), or rejects with `conflict` when it exists with other
   * content; otherwise assigns the next seq, inserts the message and appends
   * one message event to every current member's stream.
   */
  append(draft: MessageDraft): Promise<AppendResult>;
  /**
   * Messages in ascending seq: with `after`, the first `limit` above it; with
   * `before`, the last `limit` below it; with neither, the newest `limit`.
   * Bounded to the seqs in `[visibleFrom, visibleTo]`.
   */
  readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }): Promise<Message[]>;
}

export interface StreamStore {
  /** The newest pos of the user's stream (0 when empty). */
  currentPos(userId: string): Promise<number>;
  /** Entries with pos above `afterPos`, ascending, at most `limit`. */
  readStream(userId: string, afterPos: number, limit: number): Promise<StreamEntry[]>;
  /**
   * Moves the device's acked pos forward to `pos` (never back) and records
   * activity at `at`. Acks arriving together may be written in one transaction.
   */
  ackStream(deviceId: string, pos: number, at: number): Promise<void>;
}

export interface Store extends AccountStore, ConversationStore, MessageStore, StreamStore {
  /** Flushes pending writes and closes. Later calls reject. */
  close(): Promise<void>;
}
