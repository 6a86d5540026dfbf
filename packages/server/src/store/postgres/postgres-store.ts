import type pg from 'pg';
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
import { addMembers, createGroup, removeMember, renameGroup, setAdmin, type MembershipTransaction } from '../../chat/group-changes.js';
import { createInvitedUser, type InviteTransaction } from '../../chat/invite-rule.js';
import { requireMembership } from '../../chat/membership-rule.js';
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
import type { ClaimedPushJob, PushRegistration, PushTarget } from '../../chat/push-model.js';
import { completePushJob, retryPushJob, type PushQueueTransaction } from '../../chat/push-queue-rule.js';
import { ackStream, markRead, type ReceiptTransaction } from '../../chat/receipt-rules.js';
import type {
  HistoryRange,
  NewDevice,
  NewDirectConversation,
  NewGroup,
  NewInvite,
  NewLinkCode,
  NewUser,
  ReencryptStep,
  UserPatch,
} from '../../chat/store-port.js';
import { SystemClock, type Clock } from '../../clock/clock.js';
import { DataKeys } from '../../keys/data-keys.js';
import { RowCipher } from '../../keys/row-cipher.js';
import type { OpenedStore } from '../../store-opening.js';
import { AccountRows } from './account-rows.js';
import { AppendRows } from './append-rows.js';
import { AckCoalescer } from '../ack-coalescer.js';
import { BlockRows } from './block-rows.js';
import { LoginFailureRows } from './login-failure-rows.js';
import type { LoginFailures } from '../../chat/login-throttle-rule.js';
import { ConversationRows } from './conversation-rows.js';
import { DataKeySnapshot, reencryptBatch } from './data-key-rows.js';
import { GroupCommit, type Write } from './group-commit.js';
import { lockConversation, MembershipRows } from './membership-rows.js';
import { openPostgresPool } from './postgres-pool.js';
import { PushJobRows } from './push-job-rows.js';
import { PushRegistrationRows } from './push-registration-rows.js';
import { ReceiptRows } from './receipt-rows.js';
import { combinedRows, runRule } from './replay-rule.js';
import { RetentionRows } from './retention-rows.js';
import { migrate } from './schema.js';
import type { Queryable } from './sql.js';
import { isUnavailable, unavailable } from './store-failure.js';
import { StreamReads } from './stream-rows.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  databaseUrl: string;
  /** Tables live in this schema (tests: one each); the connection's default when absent. */
  schema?: string;
  /** Connections this node holds at most (default 10). */
  poolSize?: number;
  /** Writes one group-commit transaction holds at most (default 256). */
  groupCommitMaxWrites?: number;
  /**
   * Seals message bodies and push targets under data keys wrapped by this
   * key (32 bytes); plain text without it. A key that does not unlock the
   * database's data keys makes `open` throw.
   */
  masterKey?: Buffer;
  /** Messages to one device and conversation within this window make one push notification (default 2,000). */
  pushCoalesceMs?: number;
  /** Told when writes start failing for want of PostgreSQL (with the reason), and when they succeed again (undefined). */
  onWritableChange?: (failure: unknown) => void;
  /** Told of each message whose body could not be decrypted; it is served as an unreadable placeholder. */
  onUnreadableMessage?: (conversationId: string, seq: number, error: unknown) => void;
  /** Where the store's own timestamps (data keys, the write probe) come from (default: the system clock). */
  clock?: Pick<Clock, 'now'>;
}

const defaultPoolSize = 10;

/** How often a node reloads the data keys, to follow a rotation made by another process. */
const dataKeyReloadMs = 5_000;

/**
 * The Store on PostgreSQL, for several nodes sharing one database. It decides
 * nothing itself: each write runs the core's rule (`chat/*-rule.ts`) on rows
 * read and written in its transaction (`runRule`). Nothing is cached between
 * writes: another node may have written since. Correctness under writers on
 * several nodes comes from row locks taken in one order (the device of an ack,
 * then conversations, then users by id), the counters on those rows, and
 * unique keys; a transaction lost to a deadlock is run again. Writes go
 * through group commit (one transaction per batch, a savepoint per write);
 * reads go straight to the pool and see only committed, hence durable, rows
 * (every connection commits with synchronous_commit=on). PostgreSQL down or
 * unreachable: calls reject with `unavailable`, and the pool reconnects by
 * itself once it is back.
 */
export class PostgresStore implements OpenedStore {
  /**
   * Group commit: one transaction in flight per node, holding every write that
   * queued meanwhile. Several lanes measured worse: a node's own transactions
   * queued on each other's row locks (users' stream heads) instead of sharing
   * one commit (docs/performance.md, "Cluster mode").
   */
  private readonly writes: GroupCommit;
  private readonly acks: AckCoalescer;
  private readonly cipher: RowCipher;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly keyReload: NodeJS.Timeout | undefined;
  private closed = false;
  /** The newest storage failure; undefined again once a write committed after it. */
  private writeFailure: unknown;
  /** Bodies that failed to open so far: a read that meets one may have met a key rotated in on another node. */
  private unreadableBodies = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly keys: { dataKeys: DataKeys; snapshot: DataKeySnapshot } | undefined,
    private readonly options: PostgresStoreOptions,
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.cipher = new RowCipher(keys?.dataKeys.ring, (conversationId, seq, error) => {
      this.unreadableBodies++;
      options.onUnreadableMessage?.(conversationId, seq, error);
    });
    const commitOptions = { maxWrites: options.groupCommitMaxWrites ?? 256, onOutcome: (failure: unknown) => this.recordOutcome(failure) };
    this.writes = new GroupCommit(pool, commitOptions);
    // Acks of one device take turns on its row, so merging those that wait for one batch saves whole transactions' worth of statements.
    this.acks = new AckCoalescer((deviceId, take) =>
      this.write((sql) => {
        const { pos: ackedPos, at: ackedAt } = take();
        return runRule(new ReceiptRows(sql), (rows: ReceiptTransaction) => ackStream(rows, deviceId, ackedPos, ackedAt));
      }),
    );
    if (keys !== undefined) {
      // A failed reload is tried again next time; writes keep the key they have meanwhile.
      this.keyReload = setInterval(() => this.reloadDataKeys(keys).catch(() => undefined), dataKeyReloadMs).unref();
    }
  }

  /** Connects, brings the schema up to date (safe when several nodes start at once) and unlocks the data keys. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = openPostgresPool({ databaseUrl: options.databaseUrl, poolSize: options.poolSize ?? defaultPoolSize, schema: options.schema });
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
        const keys = options.masterKey === undefined ? undefined : await openDataKeys(client, options.masterKey, (options.clock ?? new SystemClock()).now());
        return new PostgresStore(pool, keys, options);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  createUser(user: NewUser): Promise<User> {
    return this.write((sql) => runRule(new AccountRows(sql), (rows: AccountTransaction) => createUser(rows, user)));
  }

  createInvite(invite: NewInvite): Promise<void> {
    return this.write((sql) => new AccountRows(sql).createInvite(invite));
  }

  createInvitedUser(user: NewUser, inviteHash: Buffer): Promise<User> {
    return this.write((sql) => runRule(new AccountRows(sql), (rows: AccountTransaction & InviteTransaction) => createInvitedUser(rows, user, inviteHash)));
  }

  findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    return this.read((sql) => new AccountRows(sql).findCredentials(username));
  }

  getUser(id: string): Promise<User | undefined> {
    return this.read((sql) => new AccountRows(sql).getUser(id));
  }

  updateUser(id: string, patch: UserPatch): Promise<User> {
    return this.write((sql) => runRule(new AccountRows(sql), (rows: AccountTransaction) => updateUser(rows, id, patch)));
  }

  searchUsers(query: string, limit: number): Promise<User[]> {
    return this.read((sql) => new AccountRows(sql).searchUsers(query, limit));
  }

  createDevice(device: NewDevice, maxDevices: number): Promise<Device> {
    return this.write((sql) => runRule(new AccountRows(sql), (rows: AccountTransaction) => createDevice(rows, device, maxDevices)));
  }

  authenticate(tokenHash: Buffer): Promise<{ device: Device; user: User } | undefined> {
    return this.read((sql) => new AccountRows(sql).authenticate(tokenHash));
  }

  getDevice(deviceId: string): Promise<Device | undefined> {
    return this.read((sql) => new AccountRows(sql).getDevice(deviceId));
  }

  listDevices(userId: string): Promise<Device[]> {
    return this.read((sql) => new AccountRows(sql).listDevices(userId));
  }

  setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    return this.write((sql) => new AccountRows(sql).setPasswordHash(userId, passwordHash));
  }

  revokeOtherDevices(userId: string, keepDeviceId: string): Promise<string[]> {
    return this.write((sql) => new AccountRows(sql).revokeOtherDevices(userId, keepDeviceId));
  }

  revokeDevice(userId: string, deviceId: string): Promise<boolean> {
    return this.write((sql) => new AccountRows(sql).revokeDevice(userId, deviceId));
  }

  setLastSeenAt(userId: string, at: number): Promise<void> {
    return this.write((sql) => new AccountRows(sql).setLastSeenAt(userId, at));
  }

  listDirectPeers(userId: string): Promise<string[]> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).listDirectPeers(userId));
  }

  createLinkCode(code: NewLinkCode): Promise<void> {
    return this.write((sql) => new AccountRows(sql).createLinkCode(code));
  }

  redeemLinkCode(codeHash: Buffer, device: Omit<NewDevice, 'userId'>, maxDevices: number): Promise<{ device: Device; user: User }> {
    return this.write((sql) => runRule(new AccountRows(sql), (rows: AccountTransaction) => redeemLinkCode(rows, codeHash, device, maxDevices)));
  }

  loginFailures(keys: string[]): Promise<Map<string, LoginFailures>> {
    return this.read((sql) => new LoginFailureRows(sql).read(keys));
  }

  recordLoginFailure(keys: string[], at: number): Promise<void> {
    return this.write((sql) => new LoginFailureRows(sql).record(keys, at));
  }

  clearLoginFailures(key: string): Promise<void> {
    return this.write((sql) => new LoginFailureRows(sql).clear(key));
  }

  blockUser(userId: string, blockedId: string, at: number): Promise<void> {
    return this.write((sql) => new BlockRows(sql).block(userId, blockedId, at));
  }

  unblockUser(userId: string, blockedId: string): Promise<void> {
    return this.write((sql) => new BlockRows(sql).unblock(userId, blockedId));
  }

  listBlocked(userId: string): Promise<string[]> {
    return this.read((sql) => new BlockRows(sql).listBlocked(userId));
  }

  listBlockRelations(userId: string): Promise<string[]> {
    return this.read((sql) => new BlockRows(sql).listRelated(userId));
  }

  openDirectConversation(draft: NewDirectConversation): Promise<{ conversation: Conversation; created: boolean }> {
    return this.write((sql) => new ConversationRows(sql, this.cipher).openDirect(draft));
  }

  getConversation(id: string): Promise<Conversation | undefined> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).get(id));
  }

  getMember(conversationId: string, userId: string): Promise<Member | undefined> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).getMember(conversationId, userId));
  }

  listMembers(conversationId: string): Promise<Member[]> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).listMembers(conversationId));
  }

  listConversations(userId: string): Promise<ConversationSummary[]> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).list(userId));
  }

  createGroup(group: NewGroup, maxGroupSize: number): Promise<{ conversation: Conversation; appended: Appended[] }> {
    return this.write((sql) => runRule(new MembershipRows(sql), (rows: MembershipTransaction) => createGroup(rows, group, maxGroupSize)));
  }

  addMembers(conversationId: string, by: string, userIds: string[], at: number, maxGroupSize: number): Promise<Appended[]> {
    return this.changeGroup(conversationId, (rows) => addMembers(rows, conversationId, by, userIds, at, maxGroupSize));
  }

  removeMember(conversationId: string, by: string, userId: string): Promise<Appended[]> {
    return this.write(async (sql) => {
      await lockConversation(sql, conversationId);
      const rows = combinedRows(new MembershipRows(sql), new ReceiptRows(sql));
      return runRule(rows, (both: MembershipTransaction & ReceiptTransaction) => removeMember(both, both, conversationId, by, userId));
    });
  }

  renameGroup(conversationId: string, by: string, name: string): Promise<Appended[]> {
    return this.changeGroup(conversationId, (rows) => renameGroup(rows, conversationId, by, name));
  }

  setAdmin(conversationId: string, by: string, userId: string, admin: boolean): Promise<Appended[]> {
    return this.changeGroup(conversationId, (rows) => setAdmin(rows, conversationId, by, userId, admin));
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    this.keys?.dataKeys.follow(this.clock.now());
    const pushCoalesceMs = this.options.pushCoalesceMs ?? 2_000;
    return this.write(async (sql) => {
      const rows = await AppendRows.lock(sql, this.cipher, draft);
      const appended = await runRule(rows, (locked: AppendTransaction) => appendMessage(locked, draft, pushCoalesceMs));
      rows.assertDone();
      return appended;
    });
  }

  readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }, viewerId = ''): Promise<Message[]> {
    return this.read((sql) => new ConversationRows(sql, this.cipher).readHistory(conversationId, range, visible, viewerId));
  }

  currentPos(userId: string): Promise<number> {
    return this.read((sql) => new StreamReads(sql, this.cipher).currentPos(userId));
  }

  readStream(userId: string, afterPos: number, limit: number): Promise<StreamEntry[]> {
    return this.read((sql) => new StreamReads(sql, this.cipher).read(userId, afterPos, limit));
  }

  /** Acks of one device in one batch are merged: see `AckCoalescer` for which caller gets the receipts. */
  ackStream(deviceId: string, pos: number, at: number): Promise<ReceiptsMade> {
    return this.acks.ack(deviceId, pos, at);
  }


  markRead(conversationId: string, userId: string, seq: number): Promise<ReceiptsMade> {
    return this.write(async (sql) => {
      await lockConversation(sql, conversationId);
      return runRule(new ReceiptRows(sql), (rows: ReceiptTransaction) => markRead(rows, conversationId, userId, seq));
    });
  }

  compactStream(userId: string, activeSince: number): Promise<number> {
    return this.write((sql) => new RetentionRows(sql).compactStream(userId, activeSince));
  }

  streamFloor(userId: string): Promise<number> {
    return this.read((sql) => new RetentionRows(sql).streamFloor(userId));
  }

  resetDevicePos(deviceId: string): Promise<number> {
    return this.write(async (sql) => requireDevice(await new RetentionRows(sql).resetDevicePos(deviceId)));
  }

  setPushRegistration(registration: PushRegistration): Promise<void> {
    return this.write(async (sql) => {
      requireOwnDevice((await new AccountRows(sql).getDevice(registration.deviceId))?.userId, registration.userId);
      await new PushRegistrationRows(sql, this.cipher).set(registration);
    });
  }

  getPushRegistration(deviceId: string): Promise<PushRegistration | undefined> {
    return this.read((sql) => new PushRegistrationRows(sql, this.cipher).get(deviceId));
  }

  removePushRegistration(deviceId: string, target?: PushTarget): Promise<boolean> {
    return this.write((sql) => new PushRegistrationRows(sql, this.cipher).remove(deviceId, target));
  }

  setMute(conversationId: string, userId: string, until: number | null): Promise<void> {
    return this.write(async (sql) => {
      requireMembership(await new ConversationRows(sql, this.cipher).getMember(conversationId, userId));
      await new PushRegistrationRows(sql, this.cipher).setMute(conversationId, userId, until);
    });
  }

  /** Nearly every connect has nothing to cancel: that is found with a read, sparing a write. */
  async cancelPushJobs(deviceId: string): Promise<number> {
    if (!(await this.read((sql) => new PushJobRows(sql).hasPendingJobs(deviceId)))) return 0;
    return this.write((sql) => new PushJobRows(sql).cancelJobs(deviceId));
  }

  async claimPushJobs(now: number, limit: number, leaseUntil: number): Promise<ClaimedPushJob[]> {
    if (!(await this.read((sql) => new PushJobRows(sql).anyDue(now)))) return [];
    return this.write((sql) => new PushJobRows(sql).claim(now, limit, leaseUntil, this.cipher));
  }

  completePushJob(job: ClaimedPushJob, nextDueAt: number): Promise<void> {
    return this.write((sql) => runRule(new PushJobRows(sql), (rows: PushQueueTransaction) => completePushJob(rows, job, nextDueAt)));
  }

  retryPushJob(job: ClaimedPushJob, dueAt: number): Promise<void> {
    return this.write((sql) => runRule(new PushJobRows(sql), (rows: PushQueueTransaction) => retryPushJob(rows, job, dueAt)));
  }

  countUnread(userId: string): Promise<number> {
    return this.read((sql) => new PushJobRows(sql).countUnread(userId));
  }

  async rotateDataKey(at: number): Promise<number> {
    const { keys } = this;
    if (keys === undefined) throw new Error('this store was opened without a master key');
    const id = await this.write(async (sql) => {
      await keys.snapshot.loadLocked(sql);
      const rotated = keys.dataKeys.rotate(at);
      await keys.snapshot.save(sql);
      return rotated;
    });
    await keys.snapshot.load(this.pool);
    keys.dataKeys.follow(this.clock.now(), true);
    return id;
  }

  reencrypt(limit: number, from?: string): Promise<ReencryptStep> {
    const ring = this.keys?.dataKeys.ring;
    if (ring === undefined) return Promise.resolve({ moved: 0, unreadable: [], next: undefined });
    return this.write((sql) => reencryptBatch(sql, this.cipher, ring.activeKeyId, limit, from));
  }

  /**
   * True until a call fails for want of PostgreSQL. After that, it tries a
   * small write (waiting `timeoutMs` at most), and is true again once one
   * commits, so it reports recovery even when no one writes.
   */
  async canWrite(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.writeFailure === undefined) return true;
    const probe = this.writes
      .enqueue((sql) => sql.query('INSERT INTO write_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [this.clock.now()]))
      .catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([probe, timedOut]);
      return this.writeFailure === undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.assertOpen();
    this.closed = true;
    clearInterval(this.keyReload);
    await this.writes.close();
    await this.pool.end();
  }

  /** A membership change: the conversation is locked before the rule reads the caller's rights. */
  private changeGroup<T>(conversationId: string, rule: (rows: MembershipTransaction) => T): Promise<T> {
    return this.write(async (sql) => {
      await lockConversation(sql, conversationId);
      return runRule(new MembershipRows(sql), rule);
    });
  }

  /** Queues a write for the next batch: writes commit in the order they were called. */
  private write<T>(write: Write<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.writes.enqueue(write);
  }

  /**
   * Runs a read on the pool. One that met a body it could not open is run
   * again after reloading the data keys: another node may have rotated to a
   * key this one has not loaded yet (it reloads them every few seconds).
   */
  private async read<T>(query: (sql: Queryable) => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      const unreadableBefore = this.unreadableBodies;
      const result = await query(this.pool);
      if (this.unreadableBodies === unreadableBefore || this.keys === undefined) return result;
      await this.reloadDataKeys(this.keys);
      return await query(this.pool);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const failure = unavailable(error);
      this.recordOutcome(failure);
      throw failure;
    }
  }

  /** Learns every data key in the database, and follows the active one. */
  private async reloadDataKeys(keys: { dataKeys: DataKeys; snapshot: DataKeySnapshot }): Promise<void> {
    await keys.snapshot.load(this.pool);
    for (const key of keys.snapshot.listKeys()) keys.dataKeys.ring.add(key);
    keys.dataKeys.follow(this.clock.now(), true);
  }

  /** Called after each batch and failed read: `onWritableChange` hears of a failure's start and of its end. */
  private recordOutcome(failure: unknown): void {
    if (failure !== undefined) {
      const started = this.writeFailure === undefined;
      this.writeFailure = failure;
      if (started) this.options.onWritableChange?.(failure);
    } else if (this.writeFailure !== undefined) {
      this.writeFailure = undefined;
      this.options.onWritableChange?.(undefined);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}

/** Unlocks the database's data keys, making the first on a fresh database; nodes starting at once make one between them. */
async function openDataKeys(client: pg.PoolClient, masterKey: Buffer, nowMs: number): Promise<{ dataKeys: DataKeys; snapshot: DataKeySnapshot }> {
  const snapshot = new DataKeySnapshot();
  await client.query('BEGIN');
  try {
    await snapshot.loadLocked(client);
    const dataKeys = DataKeys.open(snapshot, masterKey, nowMs);
    await snapshot.save(client);
    await client.query('COMMIT');
    await snapshot.load(client);
    return { dataKeys, snapshot };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

