/**
 * The Store port: the system of record, owned by the core and spoken in its
 * words. Adapters (`store/sqlite/`, later `store/postgres/`) implement it and
 * pass `describeStoreContract`; they do row I/O and call the core's rules
 * (`chat/*-rule.ts`) inside their transactions, so no adapter decides a rule.
 * Each consumer takes the part it uses (`MessageStore`, `PushStore`, …).
 *
 * Guarantees every adapter gives:
 * - A promise that resolves means the write is durable (committed with the
 *   adapter's durability settings); a rejected one wrote nothing, except an
 *   `unavailable` after the commit, when making it durable failed: it may be
 *   stored then, and a retried append finds it by (sender, id).
 * - A read returns only durable rows, never one a power loss could still
 *   take away.
 * - `seq` (per conversation) and `pos` (per user) are dense, start at 1, and
 *   are assigned inside the transaction that inserts the row they number.
 * - Expected refusals reject with `ParleyError` (`not_found`, `conflict`, …);
 *   anything else is an operating failure.
 */
import type {
  Appended,
  AppendResult,
  Conversation,
  ConversationSummary,
  Device,
  Member,
  Message,
  MessageDraft,
  ReceiptsMade,
  StreamEntry,
  User,
} from './model.js';
import type { LastSeenSetting } from '@parley/protocol';
import type { ClaimedPushJob, PushRegistration, PushTarget } from './push-model.js';
import type { LoginFailures } from './login-throttle-rule.js';

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
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Deletes every device of the user but one; returns the ids deleted. */
  revokeOtherDevices(userId: string, keepDeviceId: string): Promise<string[]>;
  /** Deletes the device and its token. False when the user has no such device. */
  revokeDevice(userId: string, deviceId: string): Promise<boolean>;

  /** Records when the user's last device went offline. */
  setLastSeenAt(userId: string, at: number): Promise<void>;
  /** Users who share a direct conversation with the user (presence goes to them). */
  listDirectPeers(userId: string): Promise<string[]>;

  /** Stores a link code (by hash) that lets a new device join the user without a password. */
  createLinkCode(code: NewLinkCode): Promise<void>;
  /**
   * Consumes a link code and adds the device in one transaction: a code works
   * once. Rejects with `unauthorized` for an unknown, used or expired code (at
   * `device.createdAt`), and with `conflict` at `maxDevices` (the code is then
   * not consumed).
   */
  redeemLinkCode(codeHash: Buffer, device: Omit<NewDevice, 'userId'>, maxDevices: number): Promise<{ device: Device; user: User }>;
}

export interface NewLinkCode {
  /** SHA-256 of the code; the code itself is never stored. */
  codeHash: Buffer;
  userId: string;
  /** The device that made the code. */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

export interface NewDirectConversation {
  id: string;
  userIds: [string, string];
  createdBy: string;
  createdAt: number;
}

export interface NewGroup {
  id: string;
  name: string;
  /** Becomes the first admin. */
  createdBy: string;
  /** The other members; the creator is added if missing, duplicates are ignored. */
  memberIds: string[];
  createdAt: number;
}

/**
 * Membership changes. Each runs in one transaction that checks the caller's
 * rights on the current state (never a stale read): `by` must be a current
 * member (`not_found`, or `not_member` for a former member) and, where noted,
 * an admin (`forbidden`). A change to a direct conversation is `bad_request`.
 * Each appends one `conversation` event to the stream of every member
 * concerned (the current members, the added ones, and the removed one) and
 * returns those entries for publishing.
 */
export interface MembershipStore {
  /**
   * Creates a group with `created` in every member's stream. Unknown users are
   * `not_found`; fewer than 2 or more than `maxGroupSize` members `bad_request`.
   */
  createGroup(group: NewGroup, maxGroupSize: number): Promise<{ conversation: Conversation; appended: Appended[] }>;
  /**
   * Admins only. Adds users (already current members are skipped; none left is
   * a no-op), who see messages from now on: `joinedAfterSeq` = the current
   * last seq. Past `maxGroupSize` is `bad_request`. Event `member_added`.
   */
  addMembers(conversationId: string, by: string, userIds: string[], at: number, maxGroupSize: number): Promise<Appended[]>;
  /**
   * `by === userId` is leaving (`member_left`); else admins only
   * (`member_removed`). The member sees nothing after the current last seq.
   * When the last admin goes and members remain, the member who joined first
   * becomes admin (`admin_granted`, by the one who left). The aggregate
   * receipts the departure makes owed (the one who went no longer holds the
   * minimum back) are appended in the same transaction and returned too.
   */
  removeMember(conversationId: string, by: string, userId: string): Promise<Appended[]>;
  /** Admins only. Event `renamed`. */
  renameGroup(conversationId: string, by: string, name: string): Promise<Appended[]>;
  /**
   * Admins only. Events `admin_granted` / `admin_revoked`; no change, no event.
   * Revoking the last admin is `conflict`.
   */
  setAdmin(conversationId: string, by: string, userId: string, admin: boolean): Promise<Appended[]>;
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
   * one message event to every current member's stream. In the same
   * transaction it queues a push job (see `PushStore`) for every registered
   * device of the other current members who have not muted the conversation.
   *
   * Order: appends of one device get increasing seqs in the order they were
   * called (a device sends without waiting for each `sent`); appends of
   * different callers may be numbered in any order.
   */
  append(draft: MessageDraft): Promise<AppendResult>;
  /**
   * Messages in ascending seq: with `after`, the first `limit` above it; with
   * `before`, the last `limit` below it; with neither, the newest `limit`.
   * Bounded to the seqs in `[visibleFrom, visibleTo]`. Messages withheld by a
   * block are included only when `viewerId` is their sender.
   */
  readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }, viewerId?: string): Promise<Message[]>;
}

export interface StreamStore {
  /** The newest pos of the user's stream (0 when empty). */
  currentPos(userId: string): Promise<number>;
  /** Entries with pos above `afterPos`, ascending, at most `limit`. */
  readStream(userId: string, afterPos: number, limit: number): Promise<StreamEntry[]>;
  /**
   * Moves the device's acked pos forward to `pos` (never back), records
   * activity at `at`, and in the same transaction emits `delivered` receipts:
   * for each conversation with messages from others in the newly acked part
   * of the stream whose seq passes the user's delivered seq, the delivered seq
   * moves up. In a direct conversation the sender of a newly covered message
   * gets one receipt (user, status `delivered`, the new seq); in a group each
   * such sender gets an aggregate receipt (no user) only when every other
   * current member now has more of their messages (chat/group-receipt-rule.ts),
   * and the move is returned in `moves`. Returns what it made; when acks of
   * one device overlap in time, each receipt is returned by exactly one of
   * them (the others resolve with nothing once it is durable).
   */
  ackStream(deviceId: string, pos: number, at: number): Promise<ReceiptsMade>;
  /**
   * Moves the user's read seq up to `seq` (capped at the newest seq they may
   * see); never back, so a lower seq changes nothing and makes nothing.
   * Delivered moves up with it. Emits one `read` receipt to the reader's own
   * stream (read-state sync across devices) and, in a direct conversation,
   * one to each sender of a newly covered message; in a group, the aggregate
   * receipts it makes owed, and the move in `moves`. Membership as for `append`.
   */
  markRead(conversationId: string, userId: string, seq: number): Promise<ReceiptsMade>;
  /**
   * Deletes the entries every device of the user active since `activeSince`
   * has acked, and returns the new floor: entries at or below it are gone.
   */
  compactStream(userId: string, activeSince: number): Promise<number>;
  /** The pos at or below which the user's entries were compacted (0 when none). */
  streamFloor(userId: string): Promise<number>;
  /**
   * Moves a device that fell behind the floor to the current pos, so it
   * starts from now and resyncs from history. Returns that pos.
   */
  resetDevicePos(deviceId: string): Promise<number>;
}

/**
 * Blocking: a user's block list. `append` consults it: a message to a direct
 * conversation whose other member blocked the sender is stored, answered
 * `sent`, and appended to the sender's stream only; it never reaches the
 * blocker, not even after an unblock.
 */
export interface BlockStore {
  blockUser(userId: string, blockedId: string, at: number): Promise<void>;
  unblockUser(userId: string, blockedId: string): Promise<void>;
  /** The users `userId` blocked. */
  listBlocked(userId: string): Promise<string[]>;
  /** The users in a block with `userId`, either way: no presence or typing flows between them. */
  listBlockRelations(userId: string): Promise<string[]>;
}

/** Envelope encryption at rest: data keys, wrapped by a master key kept outside the store. */
export interface DataKeyStore {
  /** Starts a new data key for new writes; rows written before stay readable. Returns its id. */
  rotateDataKey(at: number): Promise<number>;
  /**
   * Re-seals up to `limit` rows written under older keys, starting at `from`
   * (a previous step's `next`; the start when omitted). A row that fails to
   * decrypt is left as it is and named in `unreadable`: one damaged row must
   * not stop the others from moving.
   */
  reencrypt(limit: number, from?: string): Promise<ReencryptStep>;
}

export interface ReencryptStep {
  /** Rows re-sealed under the active key. */
  moved: number;
  /** Rows left under their old key because they cannot be decrypted, named as `message <conversation>#<seq>` or `push target of device <id>`. */
  unreadable: string[];
  /** Where the next step starts; undefined when every row has been looked at. */
  next: string | undefined;
}

/**
 * Push registrations and the durable push queue. `append` queues: per
 * (device, conversation) one job gathers the messages not yet notified, due
 * the store's coalescing window (default 2 s) after the first of them; a
 * message is queued for a device at most once, ever (it is above the job's
 * newest seq or not queued), so no retry, restart or re-append notifies a
 * device twice of one message.
 */
export interface PushStore {
  /**
   * Sets the device's registration, replacing the one it had. The same token,
   * endpoint or URL held by another device moves here (with none of that
   * device's jobs): one phone is woken once per message. `not_found` when the
   * device is not the user's.
   */
  setPushRegistration(registration: PushRegistration): Promise<void>;
  getPushRegistration(deviceId: string): Promise<PushRegistration | undefined>;
  /**
   * Removes the device's registration and its jobs; with `target`, only while
   * the registration is still that one (a token the provider refused must not
   * remove the one the device registered since). False when nothing was
   * removed. Revoking a device removes both as well.
   */
  removePushRegistration(deviceId: string, target?: PushTarget): Promise<boolean>;
  /** No pushes for the conversation until `until` (ms); null unmutes. Membership as for `append`. */
  setMute(conversationId: string, userId: string, until: number | null): Promise<void>;
  /** Drops what the device's jobs wait to notify (it connected and syncs itself). Returns how many jobs. */
  cancelPushJobs(deviceId: string): Promise<number>;
  /**
   * Claims up to `limit` jobs due at `now`, soonest due first, each leased
   * until `leaseUntil`: not due again before then, so the jobs of a process
   * that died while sending come back. The attempt is counted.
   */
  claimPushJobs(now: number, limit: number, leaseUntil: number): Promise<ClaimedPushJob[]>;
  /**
   * Ends a claimed job, sent or given up: its messages are never queued or
   * notified again. Messages queued while it was out wait on, due at `nextDueAt`.
   */
  completePushJob(job: ClaimedPushJob, nextDueAt: number): Promise<void>;
  /** Puts a claimed job back, due at `dueAt`, with what was queued meanwhile. */
  retryPushJob(job: ClaimedPushJob, dueAt: number): Promise<void>;
  /** The user's unread messages over all current conversations, as the conversation list counts them. */
  countUnread(userId: string): Promise<number>;
}

/** Invite codes: with registration by invite, each new account spends one use of a code an admin made. */
export interface InviteStore {
  /** Stores an invite code (by hash). */
  createInvite(invite: NewInvite): Promise<void>;
  /**
   * Spends one use of the invite and creates the user, in one transaction.
   * Rejects with `forbidden` for an unknown, used-up or expired code (at
   * `user.createdAt`), and with `conflict` for a taken username (the use is
   * then not spent).
   */
  createInvitedUser(user: NewUser, inviteHash: Buffer): Promise<User>;
}

export interface NewInvite {
  /** SHA-256 of the code; the code itself is never stored. */
  codeHash: Buffer;
  /** Accounts the code may still create. */
  uses: number;
  createdAt: number;
  /** Unusable from this time on (ms); null: never expires. */
  expiresAt: number | null;
}

/**
 * Failed logins per key (`account:<username>`, `ip:<address>`), read by the
 * login throttle. Every node of a cluster shares them, so guessing is slowed
 * once for the cluster, not once per node. Kept at least as long as the
 * longest wait (15 min) after a key's last failure.
 */
export interface LoginFailureStore {
  /** The failures of each key that has any. */
  loginFailures(keys: string[]): Promise<Map<string, LoginFailures>>;
  /** One more failure at `at` for each key. */
  recordLoginFailure(keys: string[], at: number): Promise<void>;
  /** Forgets a key's failures (its account logged in). */
  clearLoginFailures(key: string): Promise<void>;
}

export interface Store extends LoginFailureStore, InviteStore, BlockStore, DataKeyStore, AccountStore, ConversationStore, MembershipStore, MessageStore, StreamStore, PushStore {
  /** Flushes pending writes and closes. Later calls reject. */
  close(): Promise<void>;
}
