import type Database from 'better-sqlite3';
import type { Delivery, Message } from '../../chat/model.js';
import type { ClaimedPushJob } from '../../chat/push-model.js';
import { lastPosOf } from './heads.js';
import { openPushTarget } from './push-target-json.js';
import type { RowCipher } from './row-cipher.js';

interface JobRow {
  device_id: string;
  conversation_id: string;
  user_id: string;
  first_seq: number;
  last_seq: number;
  count: number;
  last_pos: number;
  attempts: number;
  target: Buffer;
  key_id: number;
  acked_pos: number;
  muted_until: number | null;
}

interface JobKey {
  deviceId: string;
  conversationId: string;
}

/**
 * The durable push queue: one row per (device, conversation). `count > 0`
 * means `count` messages up to `last_seq` wait to be notified; `last_seq`
 * never goes back, and a message is queued only above it, so a message is
 * in at most one notification per device, whatever retries and restarts do.
 * A claimed job is leased by moving its `due_at` to the lease's end: a
 * process that dies while sending leaves the job due again after it.
 */
export class PushQueries {
  private readonly enqueue;
  private readonly selectDue;
  private readonly selectAnyDue;
  private readonly lease;
  private readonly complete;
  private readonly retry;
  private readonly cancel;
  private readonly selectPending;
  private readonly selectUnread;

  constructor(
    db: Database.Database,
    private readonly coalesceMs: number,
    private readonly cipher: RowCipher,
  ) {
    // This message's event was appended to each member's stream a moment ago: the stream's newest pos is its pos.
    // The SET expressions read the row as it was before the update.
    this.enqueue = db.prepare<[{ conversationId: string; senderId: string; recipients: string; seq: number; at: number; dueAt: number }]>(
      `INSERT INTO push_jobs (device_id, conversation_id, user_id, first_seq, last_seq, count, last_pos, due_at, attempts)
       SELECT r.device_id, m.conversation_id, m.user_id, @seq, @seq, 1, ${lastPosOf('m.user_id')}, @dueAt, 0
       FROM members m
       JOIN push_registrations r ON r.user_id = m.user_id
       WHERE m.conversation_id = @conversationId AND m.left_at_seq IS NULL AND m.user_id <> @senderId
         AND m.user_id IN (SELECT value FROM json_each(@recipients))
         AND (m.muted_until IS NULL OR m.muted_until <= @at)
       ON CONFLICT (device_id, conversation_id) DO UPDATE SET
         first_seq = CASE WHEN push_jobs.count = 0 THEN excluded.first_seq ELSE push_jobs.first_seq END,
         due_at = CASE WHEN push_jobs.count = 0 THEN excluded.due_at ELSE push_jobs.due_at END,
         attempts = CASE WHEN push_jobs.count = 0 THEN 0 ELSE push_jobs.attempts END,
         count = push_jobs.count + 1,
         last_seq = excluded.last_seq,
         last_pos = excluded.last_pos
       WHERE excluded.last_seq > push_jobs.last_seq`,
    );
    this.selectDue = db.prepare<[{ now: number; limit: number }], JobRow>(
      `SELECT j.device_id, j.conversation_id, j.user_id, j.first_seq, j.last_seq, j.count, j.last_pos, j.attempts,
              r.target, r.key_id, d.acked_pos, m.muted_until
       FROM push_jobs j
       JOIN push_registrations r ON r.device_id = j.device_id
       JOIN devices d ON d.id = j.device_id
       LEFT JOIN members m ON m.conversation_id = j.conversation_id AND m.user_id = j.user_id
       WHERE j.count > 0 AND j.due_at <= @now
       ORDER BY j.due_at LIMIT @limit`,
    );
    this.selectAnyDue = db.prepare<[number], { due: number }>('SELECT 1 AS due FROM push_jobs WHERE count > 0 AND due_at <= ? LIMIT 1');
    this.lease = db.prepare<[JobKey & { leaseUntil: number }]>(
      `UPDATE push_jobs SET due_at = @leaseUntil, attempts = attempts + 1
       WHERE device_id = @deviceId AND conversation_id = @conversationId`,
    );
    // first_seq above the claimed last seq: the job was cancelled and refilled while out; it is not ours.
    // last_seq still the claimed one: nothing came meanwhile, the row rests. Else the newcomers stay queued.
    this.complete = db.prepare<[JobKey & { lastSeq: number; count: number; nextDueAt: number }]>(
      `UPDATE push_jobs SET
         count = CASE WHEN first_seq > @lastSeq THEN count WHEN last_seq = @lastSeq THEN 0 ELSE max(count - @count, 0) END,
         due_at = CASE WHEN first_seq > @lastSeq OR last_seq = @lastSeq THEN due_at ELSE @nextDueAt END,
         attempts = CASE WHEN first_seq > @lastSeq THEN attempts ELSE 0 END,
         first_seq = CASE WHEN first_seq > @lastSeq OR last_seq = @lastSeq THEN first_seq ELSE @lastSeq + 1 END
       WHERE device_id = @deviceId AND conversation_id = @conversationId`,
    );
    this.retry = db.prepare<[JobKey & { lastSeq: number; dueAt: number }]>(
      `UPDATE push_jobs SET due_at = @dueAt
       WHERE device_id = @deviceId AND conversation_id = @conversationId AND count > 0 AND first_seq <= @lastSeq`,
    );
    this.cancel = db.prepare<[string]>('UPDATE push_jobs SET count = 0 WHERE device_id = ? AND count > 0');
    this.selectPending = db.prepare<[string], { pending: number }>('SELECT 1 AS pending FROM push_jobs WHERE device_id = ? AND count > 0 LIMIT 1');
    // The same unread as the conversation list: past read and join, from others.
    this.selectUnread = db.prepare<[string], { unread: number }>(
      `SELECT coalesce(sum((SELECT count(*) FROM messages x
                            WHERE x.conversation_id = m.conversation_id AND x.seq > max(m.read_seq, m.joined_after_seq)
                              AND x.sender_id <> m.user_id AND x.withheld = 0)), 0) AS unread
       FROM members m WHERE m.user_id = ? AND m.left_at_seq IS NULL`,
    );
  }

  /**
   * Must run in the transaction that appended `message` and its stream
   * events; `deliveries` are those events: a user who got none (a message
   * withheld by a block) gets no push either.
   */
  enqueueForMessage(message: Message, deliveries: Delivery[]): void {
    const recipients = deliveries.map((delivery) => delivery.userId).filter((userId) => userId !== message.senderId);
    if (recipients.length === 0) return;
    this.enqueue.run({
      conversationId: message.conversationId,
      senderId: message.senderId,
      recipients: JSON.stringify(recipients),
      seq: message.seq,
      at: message.at,
      dueAt: message.at + this.coalesceMs,
    });
  }

  /** A read that spares the poll a write transaction when nothing is due, which is most of the time. */
  anyDue(now: number): boolean {
    return this.selectAnyDue.get(now) !== undefined;
  }

  /** Runs inside one transaction, so two dispatchers never claim the same job. */
  claim(now: number, limit: number, leaseUntil: number): ClaimedPushJob[] {
    const jobs = this.selectDue.all({ now, limit }).map((row) => toClaimedJob(row, this.cipher));
    for (const job of jobs) this.lease.run({ deviceId: job.deviceId, conversationId: job.conversationId, leaseUntil });
    return jobs;
  }

  completeJob(job: ClaimedPushJob, nextDueAt: number): void {
    this.complete.run({ ...keyOf(job), lastSeq: job.lastSeq, count: job.count, nextDueAt });
  }

  retryJob(job: ClaimedPushJob, dueAt: number): void {
    this.retry.run({ ...keyOf(job), lastSeq: job.lastSeq, dueAt });
  }

  cancelJobs(deviceId: string): number {
    return this.cancel.run(deviceId).changes;
  }

  hasPendingJobs(deviceId: string): boolean {
    return this.selectPending.get(deviceId) !== undefined;
  }

  countUnread(userId: string): number {
    return this.selectUnread.get(userId)?.unread ?? 0;
  }
}

function keyOf(job: ClaimedPushJob): JobKey {
  return { deviceId: job.deviceId, conversationId: job.conversationId };
}

function toClaimedJob(row: JobRow, cipher: RowCipher): ClaimedPushJob {
  return {
    deviceId: row.device_id,
    userId: row.user_id,
    conversationId: row.conversation_id,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    count: row.count,
    lastPos: row.last_pos,
    attempts: row.attempts + 1,
    target: openPushTarget(cipher, row.device_id, row),
    deviceAckedPos: row.acked_pos,
    mutedUntil: row.muted_until,
  };
}
