import Database from 'better-sqlite3';
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
} from '../../chat/model.js';
import type {
  HistoryRange,
  NewDevice,
  NewDirectConversation,
  NewGroup,
  NewInvite,
  NewLinkCode,
  NewUser,
  ReencryptStep,
  Store,
  UserPatch,
} from '../../chat/store-port.js';
import type { ClaimedPushJob, PushRegistration, PushTarget } from '../../chat/push-model.js';
import {
  createDevice,
  createUser,
  redeemLinkCode,
  requireDevice,
  requireOwnDevice,
  updateUser,
  type AccountTransaction,
} from '../../chat/account-rules.js';
import { appendMessage, type AppendTransaction } from '../../chat/append-message-rule.js';
import { addMembers, createGroup, removeMember, renameGroup, setAdmin } from '../../chat/group-changes.js';
import { createInvitedUser } from '../../chat/invite-rule.js';
import { requireMembership } from '../../chat/membership-rule.js';
import { completePushJob, retryPushJob } from '../../chat/push-queue-rule.js';
import { ackStream, markRead } from '../../chat/receipt-rules.js';
import { SystemClock, type Clock } from '../../clock/clock.js';
import { DataKeys } from '../../keys/data-keys.js';
import { RowCipher } from '../../keys/row-cipher.js';
import { AccountQueries } from './account-queries.js';
import { accountRows } from './account-rows.js';
import { AckCoalescer } from '../ack-coalescer.js';
import { appendRows } from './append-rows.js';
import { BlockQueries } from './block-queries.js';
import { ConversationQueries } from './conversation-queries.js';
import { CredentialQueries } from './credential-queries.js';
import { DataKeyQueries } from './data-key-queries.js';
import { configureDurability, readDurability } from './durability.js';
import type { Durability } from './durability.js';
import { GroupCommit } from './group-commit.js';
import { InviteQueries } from './invite-queries.js';
import { LinkCodeQueries } from './link-code-queries.js';
import { MembershipQueries } from './membership-queries.js';
import { MessageQueries } from './message-queries.js';
import { PresenceQueries } from './presence-queries.js';
import { PushQueries } from './push-queries.js';
import { PushRegistrationQueries } from './push-registration-queries.js';
import { ReceiptQueries } from './receipt-queries.js';
import { RetentionQueries } from './retention-queries.js';
import { migrate } from './schema.js';
import { DeviceAcks } from './device-acks.js';
import { DirectDeliveredSeqs } from './direct-delivered-seqs.js';
import { EventLog } from './event-log.js';
import { logSlices } from './log-slices.js';
import { MessageLog } from './message-log.js';
import { RecentMessageEvents } from './recent-message-events.js';
import { refuseWhileFailing } from './storage-failure.js';
import { StreamHeads } from './stream-heads.js';
import { StreamQueries } from './stream-queries.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { WalFile } from './wal-file.js';
import { MemoryLoginFailures } from '../memory/memory-login-failures.js';
import type { LoginFailures } from '../../chat/login-throttle-rule.js';

export interface SqliteStoreOptions {
  /**
   * Seals message bodies at rest under data keys wrapped by this key (32
   * bytes). Without it, bodies are stored in plain text. A key that does not
   * unlock the database's data keys makes `open` throw.
   */
  masterKey?: Buffer;
  /**
   * Writes one group-commit transaction holds at most (default 256). Reaching
   * it commits at once instead of waiting for the end of the tick, which
   * bounds both the memory of the queue and the time one transaction holds
   * the write lock.
   */
  groupCommitMaxWrites?: number;
  /** Messages to one device and conversation within this window make one push notification (default 2,000). */
  pushCoalesceMs?: number;
  /**
   * Checkpoint the WAL from a background thread every this many ms instead of
   * inside commits (SQLite's default), so a commit never pays for one. Off
   * (undefined) by default; the server turns it on.
   */
  checkpointIntervalMs?: number;
  /**
   * How long a write waits for a lock held by another process before it
   * fails with `unavailable` (default 5,000). The wait runs on timers: the
   * event loop never blocks on a lock.
   */
  busyTimeoutMs?: number;
  /**
   * Told when the store stops being able to write (with the reason), and when
   * it can again (undefined): after its test write, as large as a large
   * message, succeeds. Smaller writes that still fit end nothing.
   */
  onWritableChange?: (failure: unknown) => void;
  /** Told of each message whose body could not be decrypted; it is served as an unreadable placeholder. */
  onUnreadableMessage?: (conversationId: string, seq: number, error: unknown) => void;
  /**
   * The least time between the starts of two syncs of the WAL (default 5 ms):
   * at a low, steady rate the writes of this window share one sync instead of
   * paying one each; under load a sync takes longer than this anyway.
   */
  minSyncIntervalMs?: number;
  /** Called once the database is closed (the data directory's lock is released then). */

  onClosed?: () => void;
  /** Where the store's own timestamps (data keys, the write probe) come from (default: the system clock). */
  clock?: Pick<Clock, 'now'>;
  /**
   * Runs each sync of the WAL, given the real one (an fdatasync on libuv's
   * thread pool). Tests hold syncs with it, to show that nothing is
   * acknowledged or read before its sync; by default the real one runs.
   */
  syncWal?: (fdatasync: () => Promise<void>) => Promise<void>;
}

/** Users whose stream head is kept in memory. */
const usersInMemoryMax = 100_000;

/** Users whose newest message events are kept in memory (up to 256 each; see RecentMessageEvents). */
const usersWithRecentEventsMax = 20_000;

/** Conversations whose head (newest seq and time) is kept in memory. */
const conversationsInMemoryMax = 100_000;

/** How long a row stays in the logs (a slice of them moves every `housekeepingMs / logSlices`), and how often acked positions kept in memory are written to `devices`. */
const housekeepingMs = 1_000;

/** Bytes the readiness probe writes after a storage failure. */
const writeProbeBytes = 64 * 1024;

/** 64 MiB, allocated only as pages are read. */
const pageCacheKiB = 65_536;

/** 32 MiB of 4 KiB pages: the most the WAL grows when checkpoints run in the background. */
const walPagesBeforeWriterCheckpoints = 8_192;

/**
 * The embedded Store: one SQLite file in WAL mode with synchronous=NORMAL,
 * whose WAL the store syncs itself, off the event loop, before a write
 * resolves (`WalFile`): a resolved write survives power loss. Writes go
 * through group commit (one transaction, one fdatasync per batch). Reads run
 * on the same connection and see only durable data: at once, or, while a
 * committed batch's sync is in flight, right after it (`whenDurable`). It
 * decides nothing itself: each write runs the core's rule (`chat/*-rule.ts`)
 * on the rows of its queries, inside the write's savepoint. Group commit
 * runs writes in the order they were enqueued, which keeps the port's promise
 * that one device's appends are numbered in call order.
 */
export class SqliteStore implements Store {
  private readonly writes: GroupCommit;
  private readonly acks: AckCoalescer;
  private readonly accounts: AccountQueries;
  private readonly credentials: CredentialQueries;
  private readonly presence: PresenceQueries;
  private readonly linkCodes: LinkCodeQueries;
  private readonly invites: InviteQueries;
  private readonly conversations: ConversationQueries;
  private readonly memberships: MembershipQueries;
  private readonly messages: MessageQueries;
  private readonly streams: StreamQueries;
  private readonly receipts: ReceiptQueries;
  private readonly retention: RetentionQueries;
  private readonly pushJobs: PushQueries;
  private readonly pushRegistrations: PushRegistrationQueries;
  private readonly appendRows: AppendTransaction;
  private readonly heads: StreamHeads;
  private readonly deviceAcks: DeviceAcks;
  private readonly deliveredSeqs: DirectDeliveredSeqs;
  private readonly recentEvents: RecentMessageEvents;
  private readonly eventLog: EventLog;
  private readonly messageLog: MessageLog;
  private readonly housekeeping: NodeJS.Timeout;
  /** The slice of the logs the next housekeeping moves. */
  private nextSlice = 0;
  private readonly accountRows: AccountTransaction;
  /** In memory: the process is the whole server, and a restart only restarts the waits. */
  private readonly loginFailureCounts = new MemoryLoginFailures();
  private closed = false;
  private checkpointer: WalCheckpointer | undefined;

  private readonly dataKeys: DataKeyQueries;
  private readonly blocks: BlockQueries;
  private readonly keys: DataKeys | undefined;
  private readonly cipher: RowCipher;

  /** The newest storage failure; undefined again once a test write succeeded after it. */
  private writeFailure: unknown;
  private readonly writeProbe;
  /** The test write under way, shared by everyone asking meanwhile. */
  private probing: Promise<unknown> | undefined;
  /** Whether the batch being committed holds the test write. */
  private probeInBatch = false;
  private readonly clock: Pick<Clock, 'now'>;

  private constructor(
    private readonly db: Database.Database,
    private readonly wal: WalFile,
    masterKey: Buffer | undefined,
    private readonly options: SqliteStoreOptions,
  ) {
    this.clock = options.clock ?? new SystemClock();
    const { syncWal } = options;
    this.writes = new GroupCommit(db, {
      maxWrites: options.groupCommitMaxWrites ?? 256,
      busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
      syncWal: syncWal === undefined ? wal.sync : () => syncWal(wal.sync),
      onOutcome: (failure) => this.recordWriteOutcome(failure),
      now: () => this.clock.now(),
      onRolledBack: () => this.forgetRolledBackState(),
      minSyncIntervalMs: options.minSyncIntervalMs ?? 5,
    });
    // As large as a large message: a full disk may still take a small write into space the WAL already has.
    this.writeProbe = db.prepare<[number]>(`INSERT OR REPLACE INTO write_probe (id, at, filler) VALUES (1, ?, zeroblob(${writeProbeBytes}))`);
    this.accounts = new AccountQueries(db);
    this.credentials = new CredentialQueries(db);
    this.presence = new PresenceQueries(db);
    this.linkCodes = new LinkCodeQueries(db);
    this.invites = new InviteQueries(db);
    this.accountRows = accountRows(this.accounts, this.linkCodes);
    this.dataKeys = new DataKeyQueries(db);
    this.keys = masterKey === undefined ? undefined : DataKeys.open(this.dataKeys, masterKey, this.clock.now());
    this.cipher = new RowCipher(this.keys?.ring, options.onUnreadableMessage);
    this.eventLog = new EventLog(db);
    this.messageLog = new MessageLog(db, this.cipher, conversationsInMemoryMax);
    this.heads = new StreamHeads(db, usersInMemoryMax, this.eventLog);
    this.deviceAcks = new DeviceAcks(db);
    this.deliveredSeqs = new DirectDeliveredSeqs(db);
    this.recentEvents = new RecentMessageEvents(usersWithRecentEventsMax);
    this.streams = new StreamQueries(db, this.cipher, this.heads, this.eventLog);
    this.conversations = new ConversationQueries(db, this.streams, this.deliveredSeqs);
    this.memberships = new MembershipQueries(db, this.streams, this.conversations);
    this.blocks = new BlockQueries(db);
    this.messages = new MessageQueries(db, this.cipher, this.messageLog);
    this.receipts = new ReceiptQueries(db, this.streams, this.conversations, {
      acks: this.deviceAcks,
      heads: this.heads,
      recent: this.recentEvents,
      messageLog: this.messageLog,
      deliveredSeqs: this.deliveredSeqs,
      moveLogs: () => this.moveLogs(),
    });
    this.housekeeping = setInterval(() => this.keepHouse(), housekeepingMs / logSlices).unref();
    this.retention = new RetentionQueries(db);
    this.pushJobs = new PushQueries(db, this.cipher);
    this.pushRegistrations = new PushRegistrationQueries(db, this.cipher);
    const { conversations, blocks, messages, streams, pushJobs } = this;
    this.appendRows = appendRows({ conversations, blocks, messages, streams, pushJobs });
    this.acks = new AckCoalescer((deviceId, take) =>
      this.writes.enqueue(() => {
        const { pos, at } = take();
        return ackStream(this.receipts, deviceId, pos, at);
      }),
    );
  }

  /**
   * Opens (creating if needed) the database file at `path` and brings its
   * schema up to date. Synchronous, like better-sqlite3: it throws at once
   * when the file cannot be opened, or cannot run in WAL mode with
   * synchronous=NORMAL (`:memory:` cannot). The directory must exist.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = new Database(path);
    let wal: WalFile | undefined;
    try {
      configureDurability(db);
      // The pages every message touches (each conversation's newest messages,
      // each user's newest events, the member and device rows) outgrow
      // SQLite's default 2 MiB cache with a few thousand active users.
      db.pragma(`cache_size = -${pageCacheKiB}`);
      // Statement journals (a batch run again with a savepoint per write) and
      // the sorts of the logs' moves stay in memory: past 64 KiB SQLite spills
      // them to a temporary file, one write per page.
      db.pragma('temp_store = MEMORY');
      migrate(db);
      // From here on a lock held by another process fails at once, and GroupCommit waits for it on timers.
      db.pragma('busy_timeout = 0');
      wal = WalFile.open(path);
      const store = new SqliteStore(db, wal, options.masterKey, options);
      if (options.checkpointIntervalMs !== undefined) store.checkpointInBackground(path, options.checkpointIntervalMs);
      return store;
    } catch (error) {
      wal?.close();
      db.close();
      throw error;
    }
  }

  blockUser(userId: string, blockedId: string, at: number): Promise<void> {
    return this.write(() => this.blocks.block(userId, blockedId, at));
  }

  unblockUser(userId: string, blockedId: string): Promise<void> {
    return this.write(() => this.blocks.unblock(userId, blockedId));
  }

  async listBlocked(userId: string): Promise<string[]> {
    return this.whenDurable(() => this.blocks.listBlocked(userId));
  }

  async listBlockRelations(userId: string): Promise<string[]> {
    return this.whenDurable(() => this.blocks.listRelated(userId));
  }

  async rotateDataKey(at: number): Promise<number> {
    const { keys } = this;
    if (keys === undefined) throw new Error('this store was opened without a master key');
    const id = await this.write(() => keys.rotate(at));
    keys.follow(this.clock.now(), true);
    return id;
  }

  reencrypt(limit: number, from?: string): Promise<ReencryptStep> {
    const ring = this.keys?.ring;
    if (ring === undefined) return Promise.resolve({ moved: 0, unreadable: [], next: undefined });
    return this.write(() => this.dataKeys.reencryptBatch(this.cipher, ring.activeKeyId, limit, from));
  }

  /**
   * The connection's durability settings as SQLite reports them, and whether
   * the store syncs the database's current WAL file, for health checks and tests.
   */
  durability(): Durability & { walSynced: boolean } {
    this.assertOpen();
    return { ...readDurability(this.db), walSynced: this.wal.isCurrent() };
  }

  createUser(user: NewUser): Promise<User> {
    return this.write(() => createUser(this.accountRows, user));
  }

  createInvite(invite: NewInvite): Promise<void> {
    return this.write(() => this.invites.createInvite(invite));
  }

  createInvitedUser(user: NewUser, inviteHash: Buffer): Promise<User> {
    const { invites } = this;
    const rows = { ...this.accountRows, invite: (hash: Buffer) => invites.invite(hash), spendInviteUse: (hash: Buffer) => invites.spendInviteUse(hash) };
    return this.write(() => createInvitedUser(rows, user, inviteHash));
  }

  async findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    return this.whenDurable(() => this.accounts.findCredentials(username));
  }

  async getUser(id: string): Promise<User | undefined> {
    return this.whenDurable(() => this.accounts.getUser(id));
  }

  updateUser(id: string, patch: UserPatch): Promise<User> {
    return this.write(() => updateUser(this.accountRows, id, patch));
  }

  loginFailures(keys: string[]): Promise<Map<string, LoginFailures>> {
    return this.loginFailureCounts.loginFailures(keys);
  }

  recordLoginFailure(keys: string[], at: number): Promise<void> {
    return this.loginFailureCounts.recordLoginFailure(keys, at);
  }

  clearLoginFailures(key: string): Promise<void> {
    return this.loginFailureCounts.clearLoginFailures(key);
  }

  async searchUsers(query: string, limit: number): Promise<User[]> {
    return this.whenDurable(() => this.accounts.searchUsers(query, limit));
  }

  createDevice(device: NewDevice, maxDevices: number): Promise<Device> {
    return this.write(() => createDevice(this.accountRows, device, maxDevices));
  }

  async authenticate(tokenHash: Buffer): Promise<{ device: Device; user: User } | undefined> {
    return this.whenDurable(() => {
      const found = this.accounts.authenticate(tokenHash);
      return found === undefined ? undefined : { ...found, device: this.deviceAcks.overlay(found.device) };
    });
  }

  async getDevice(deviceId: string): Promise<Device | undefined> {
    return this.whenDurable(() => {
      const device = this.accounts.getDevice(deviceId);
      return device === undefined ? undefined : this.deviceAcks.overlay(device);
    });
  }

  async listDevices(userId: string): Promise<Device[]> {
    return this.whenDurable(() => this.accounts.listDevices(userId).map((device) => this.deviceAcks.overlay(device)));
  }

  setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    return this.write(() => this.credentials.setPasswordHash(userId, passwordHash));
  }

  revokeOtherDevices(userId: string, keepDeviceId: string): Promise<string[]> {
    return this.write(() => {
      const revoked = this.credentials.revokeOtherDevices(userId, keepDeviceId);
      revoked.forEach((deviceId) => this.deviceAcks.forget(deviceId));
      return revoked;
    });
  }

  revokeDevice(userId: string, deviceId: string): Promise<boolean> {
    return this.write(() => {
      this.deviceAcks.forget(deviceId);
      return this.accounts.revokeDevice(userId, deviceId);
    });
  }

  setLastSeenAt(userId: string, at: number): Promise<void> {
    return this.write(() => this.presence.setLastSeenAt(userId, at));
  }

  async listDirectPeers(userId: string): Promise<string[]> {
    return this.whenDurable(() => this.presence.listDirectPeers(userId));
  }

  createLinkCode(code: NewLinkCode): Promise<void> {
    return this.write(() => this.linkCodes.createLinkCode(code));
  }

  redeemLinkCode(codeHash: Buffer, device: Omit<NewDevice, 'userId'>, maxDevices: number): Promise<{ device: Device; user: User }> {
    return this.write(() => redeemLinkCode(this.accountRows, codeHash, device, maxDevices));
  }

  openDirectConversation(draft: NewDirectConversation): Promise<{ conversation: Conversation; created: boolean }> {
    return this.write(() => this.conversations.openDirect(draft));
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    return this.readWhole(() => this.conversations.get(id));
  }

  async getMember(conversationId: string, userId: string): Promise<Member | undefined> {
    return this.whenDurable(() => this.conversations.getMember(conversationId, userId));
  }

  async listMembers(conversationId: string): Promise<Member[]> {
    return this.whenDurable(() => this.conversations.listMembers(conversationId));
  }

  async listConversations(userId: string): Promise<ConversationSummary[]> {
    return this.readWhole(() => this.conversations.list(userId));
  }

  createGroup(group: NewGroup, maxGroupSize: number): Promise<{ conversation: Conversation; appended: Appended[] }> {
    return this.write(() => createGroup(this.memberships, group, maxGroupSize));
  }

  addMembers(conversationId: string, by: string, userIds: string[], at: number, maxGroupSize: number): Promise<Appended[]> {
    return this.write(() => addMembers(this.memberships, conversationId, by, userIds, at, maxGroupSize));
  }

  removeMember(conversationId: string, by: string, userId: string): Promise<Appended[]> {
    return this.write(() => removeMember(this.memberships, this.receipts, conversationId, by, userId));
  }

  renameGroup(conversationId: string, by: string, name: string): Promise<Appended[]> {
    return this.write(() => renameGroup(this.memberships, conversationId, by, name));
  }

  setAdmin(conversationId: string, by: string, userId: string, admin: boolean): Promise<Appended[]> {
    return this.write(() => setAdmin(this.memberships, conversationId, by, userId, admin));
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    return this.writes.enqueue(() => {
      this.keys?.follow(this.clock.now());
      const appended = appendMessage(this.appendRows, draft, this.options.pushCoalesceMs ?? 2_000);
      const { conversationId, seq, senderId } = appended.message;
      for (const { userId, pos } of appended.deliveries) this.recentEvents.record(userId, { pos, conversationId, seq, senderId });
      if ((this.eventLog.isFull() || this.messageLog.isFull()) && this.writeFailure === undefined) this.moveLogs();
      return appended;
    });
  }

  async readHistory(
    conversationId: string,
    range: HistoryRange,
    visible: { from: number; to: number },
    viewerId = '',
  ): Promise<Message[]> {
    return this.readWhole(() => this.messages.readHistory(conversationId, range, visible, viewerId));
  }

  async currentPos(userId: string): Promise<number> {
    return this.readWhole(() => this.streams.currentPos(userId));
  }

  async readStream(userId: string, afterPos: number, limit: number): Promise<StreamEntry[]> {
    return this.readWhole(() => this.streams.read(userId, afterPos, limit));
  }

  /** Acks of one device in one batch are merged: see `AckCoalescer` for which caller gets the receipts. */
  ackStream(deviceId: string, pos: number, at: number): Promise<ReceiptsMade> {
    this.deviceAcks.request(deviceId, pos);
    return this.acks.ack(deviceId, pos, at);
  }

  markRead(conversationId: string, userId: string, seq: number): Promise<ReceiptsMade> {
    return this.write(() => markRead(this.receipts, conversationId, userId, seq));
  }

  compactStream(userId: string, activeSince: number): Promise<number> {
    return this.write(() => {
      this.deviceAcks.writeBack();
      return this.retention.compactStream(userId, activeSince);
    });
  }

  async streamFloor(userId: string): Promise<number> {
    return this.whenDurable(() => this.retention.streamFloor(userId));
  }

  resetDevicePos(deviceId: string): Promise<number> {
    return this.write(() => {
      this.deviceAcks.forget(deviceId);
      return requireDevice(this.retention.resetDevicePos(deviceId));
    });
  }

  setPushRegistration(registration: PushRegistration): Promise<void> {
    return this.write(() => {
      requireOwnDevice(this.accounts.getDevice(registration.deviceId)?.userId, registration.userId);
      this.pushRegistrations.set(registration);
    });
  }

  async getPushRegistration(deviceId: string): Promise<PushRegistration | undefined> {
    return this.whenDurable(() => this.pushRegistrations.get(deviceId));
  }

  removePushRegistration(deviceId: string, target?: PushTarget): Promise<boolean> {
    return this.write(() => this.pushRegistrations.remove(deviceId, target));
  }

  setMute(conversationId: string, userId: string, until: number | null): Promise<void> {
    return this.write(() => {
      requireMembership(this.conversations.getMember(conversationId, userId));
      this.pushRegistrations.setMute(conversationId, userId, until);
    });
  }

  /** Nearly every connect has nothing to cancel: that is found with a read, sparing a write. */
  async cancelPushJobs(deviceId: string): Promise<number> {
    if (!(await this.whenDurable(() => this.pushJobs.hasPendingJobs(deviceId)))) return 0;
    return this.write(() => this.pushJobs.cancelJobs(deviceId));
  }

  async claimPushJobs(now: number, limit: number, leaseUntil: number): Promise<ClaimedPushJob[]> {
    if (!(await this.whenDurable(() => this.pushJobs.anyDue(now)))) return [];
    return this.write(() => {
      // A device that acked past a job's messages is not woken: the claim reads acked positions.
      this.deviceAcks.writeBack();
      return this.pushJobs.claim(now, limit, leaseUntil);
    });
  }

  completePushJob(job: ClaimedPushJob, nextDueAt: number): Promise<void> {
    return this.write(() => completePushJob(this.pushJobs, job, nextDueAt));
  }

  retryPushJob(job: ClaimedPushJob, dueAt: number): Promise<void> {
    return this.write(() => retryPushJob(this.pushJobs, job, dueAt));
  }

  async countUnread(userId: string): Promise<number> {
    return this.readWhole(() => this.pushJobs.countUnread(userId));
  }

  /**
   * Whether the store can write: true until a write fails for storage
   * reasons. After that, it tries a test write as large as a large message
   * (waiting `timeoutMs` at most; one at a time), and is true again only once
   * one succeeded, so it reports recovery even when no one writes.
   */
  async canWrite(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.writeFailure === undefined) return true;
    this.probing ??= this.writes
      .enqueue(() => {
        this.writeProbe.run(this.clock.now());
        this.probeInBatch = true;
      })
      .catch(() => undefined)
      .finally(() => (this.probing = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([this.probing, timedOut]);
      return this.writeFailure === undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.assertOpen();
    this.closed = true;
    clearInterval(this.housekeeping);
    this.writes
      .enqueue(() => {
        this.deviceAcks.writeBack();
        this.moveLogs();
      })
      .catch(() => undefined);
    await this.writes.close();
    this.wal.close();
    await this.checkpointer?.stop();
    this.db.close();
    this.options.onClosed?.();
  }

  /**
   * Moves the next slice of the logs, and writes back the acked positions of
   * the next slice of the devices, in the next batch.
   */
  private keepHouse(): void {
    const idle = !this.deviceAcks.hasUnwritten() && !this.deliveredSeqs.hasRaised() && !this.eventLog.needsMoves() && !this.messageLog.needsMoves();
    if (idle) return;
    // A move needs room: while writes fail (a full disk), it would only fail the writes of its batch with it.
    if (this.writeFailure !== undefined) return;
    const slice = this.nextSlice;
    this.nextSlice = (slice + 1) % logSlices;
    // A failure is the storage watch's business; what was not written is tried again next time.
    this.writes
      .enqueue(() => {
        this.deviceAcks.writeBackSlice(slice);
        this.deliveredSeqs.writeBack();
        this.eventLog.moveSlice(slice);
        this.messageLog.moveSlice(slice);
      })
      .catch(() => undefined);
  }

  /**
   * Queues a write that needs `events` and `messages` whole: everything but
   * appends and acks, the hot path, which know what the logs hold.
   */
  private write<T>(operation: () => T): Promise<T> {
    return this.writes.enqueue(() => {
      this.moveLogs();
      // Such a write may change memberships behind the ones kept in memory.
      this.conversations.forgetMembers();
      try {
        return operation();
      } finally {
        this.conversations.forgetMembers();
      }
    });
  }

  /**
   * A move needs room: while writes fail (a full disk) it is refused before
   * it starts, so that it fails only the write that asked for it.
   */
  private moveLogs(): void {
    if (!this.eventLog.hasPending() && !this.messageLog.hasPending() && !this.deliveredSeqs.hasRaised()) return;
    if (this.writeFailure !== undefined) throw refuseWhileFailing();
    this.deliveredSeqs.writeBack();
    this.eventLog.moveAll();
    this.messageLog.moveAll();
  }

  /**
   * Runs `query`, a read of `events` or `messages`, once they hold the logs'
   * rows and everything committed is durable: at once when the logs are
   * empty, else in the write that moves them, answered after its sync. Rows
   * logged by writes after the move may be missed: the read sees an older
   * state whole, never a part of one. A move and its read must not be two
   * writes: a slice move between them moves a user's events without the
   * messages of other slices' conversations, and the read would find an
   * event whose message is still in the log.
   */
  private async readWhole<T>(query: () => T): Promise<T> {
    this.assertOpen();
    if (!this.eventLog.hasPending() && !this.messageLog.hasPending()) return this.whenDurable(query);
    return this.writes.enqueue(() => {
      this.moveLogs();
      return query();
    });
  }

  /** What the in-memory parts learned inside a rolled-back write may be gone from the database. */
  private forgetRolledBackState(): void {
    this.heads.clear();
    this.recentEvents.clear();
    this.deviceAcks.clear();
    this.eventLog.recount();
    this.messageLog.reload();
    this.deliveredSeqs.readBack();
    this.streams.forgetRecentMessages();
    this.conversations.forgetMembers();
  }

  private checkpointInBackground(path: string, intervalMs: number): void {
    // The thread copies pages while the writer keeps appending, so it rarely
    // finishes with nothing left over, and SQLite starts the WAL over only
    // after a complete checkpoint. Past this many pages the writer finishes the
    // thread's work itself, which lets the next commit start the WAL over.
    this.db.pragma(`wal_autocheckpoint = ${walPagesBeforeWriterCheckpoints}`);
    this.checkpointer = new WalCheckpointer(path, intervalMs, () => {
      // Without the thread the WAL would grow without bound: checkpoint in commits again.
      if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000');
    });
  }

  /**
   * Called after each batch. A small write that still fits on a nearly full
   * disk does not end the failure: only the test write does.
   */
  private recordWriteOutcome(failure: unknown): void {
    const probed = this.probeInBatch;
    this.probeInBatch = false;
    if (failure !== undefined) {
      const started = this.writeFailure === undefined;
      this.writeFailure = failure;
      if (started) this.options.onWritableChange?.(failure);
    } else if (probed && this.writeFailure !== undefined) {
      this.writeFailure = undefined;
      this.options.onWritableChange?.(undefined);
    }
  }

  /** Runs `query` once every committed write is durable: see `GroupCommit.whenDurable`. */
  private whenDurable<T>(query: () => T): Promise<T> {
    this.assertOpen();
    return this.writes.whenDurable(query);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
