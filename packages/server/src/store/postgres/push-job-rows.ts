import type { PushCandidate, PushJobRow, PushQueueTransaction } from '../../chat/push-queue-rule.js';
import type { ClaimedPushJob } from '../../chat/push-model.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { toCandidate, toClaimedJob, toJobState, type CandidateRow, type ClaimedJobRow, type JobStateRow } from '../push-rows.js';
import type { AsyncRows } from './replay-rule.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';
import { unreadOf } from './unread.js';

/**
 * The durable push queue: one row per (device, conversation), written as
 * `queuePushJobs` (chat/push-queue-rule.ts) decides. A claim leases its jobs
 * by moving `due_at` to the lease's end; rows another node is claiming are
 * skipped (`FOR UPDATE SKIP LOCKED`), never waited for nor claimed twice.
 */
export class PushJobRows implements AsyncRows<PushQueueTransaction> {
  constructor(private readonly sql: Queryable) {}

  /**
   * Locks the jobs it reads: a completion or a retry on another node (which
   * lock the job too) and this append take turns, so neither writes the job
   * back from a state the other has changed.
   */
  async pushCandidates(conversationId: string, userIds: readonly string[]): Promise<PushCandidate[]> {
    const rows = await rowsOf<CandidateRow>(
      this.sql,
      `WITH jobs AS (
         SELECT j.device_id, j.first_seq, j.last_seq, j.count, j.last_pos, j.due_at, j.attempts FROM push_jobs j
         WHERE j.conversation_id = $1 AND j.device_id IN (SELECT device_id FROM push_registrations WHERE user_id = ANY($2::text[]))
         ORDER BY j.device_id FOR UPDATE
       )
       SELECT r.device_id, m.user_id, m.muted_until, j.first_seq, j.last_seq, j.count, j.last_pos, j.due_at, j.attempts
       FROM members m
       JOIN push_registrations r ON r.user_id = m.user_id
       LEFT JOIN jobs j ON j.device_id = r.device_id
       WHERE m.conversation_id = $1 AND m.user_id = ANY($2::text[])`,
      [conversationId, userIds],
    );
    return rows.map(toCandidate);
  }

  /** One statement for the jobs of a group of any size. */
  async savePushJobs(conversationId: string, jobs: readonly PushJobRow[]): Promise<void> {
    await query(
      this.sql,
      `INSERT INTO push_jobs (device_id, conversation_id, user_id, first_seq, last_seq, count, last_pos, due_at, attempts)
       SELECT j."deviceId", $1, j."userId", j."firstSeq", j."lastSeq", j.count, j."lastPos", j."dueAt", j.attempts
       FROM jsonb_to_recordset($2::jsonb) AS j("deviceId" text, "userId" text, "firstSeq" bigint, "lastSeq" bigint,
                                              count bigint, "lastPos" bigint, "dueAt" bigint, attempts bigint)
       ON CONFLICT (device_id, conversation_id) DO UPDATE SET
         user_id = excluded.user_id, first_seq = excluded.first_seq, last_seq = excluded.last_seq, count = excluded.count,
         last_pos = excluded.last_pos, due_at = excluded.due_at, attempts = excluded.attempts`,
      [conversationId, JSON.stringify(jobs)],
    );
  }

  /** Locks the job: a completion and an append that refills it take turns. */
  async pushJob(deviceId: string, conversationId: string): Promise<PushJobRow | undefined> {
    const row = await rowOf<JobStateRow & { user_id: string }>(
      this.sql,
      `SELECT user_id, first_seq, last_seq, count, last_pos, due_at, attempts FROM push_jobs
       WHERE device_id = $1 AND conversation_id = $2 FOR UPDATE`,
      [deviceId, conversationId],
    );
    return row === undefined ? undefined : { deviceId, userId: row.user_id, ...toJobState(row) };
  }

  /** A read that spares the poll a write when nothing is due, which is most of the time. */
  async anyDue(now: number): Promise<boolean> {
    return (await rowOf(this.sql, 'SELECT 1 FROM push_jobs WHERE count > 0 AND due_at <= $1 LIMIT 1', [now])) !== undefined;
  }

  /** Claims and leases the due jobs no other node is claiming, soonest due first. */
  async claim(now: number, limit: number, leaseUntil: number, cipher: RowCipher): Promise<ClaimedPushJob[]> {
    const rows = await rowsOf<ClaimedJobRow & { due_at: number }>(
      this.sql,
      `WITH due AS (
         SELECT device_id, conversation_id, due_at FROM push_jobs
         WHERE count > 0 AND due_at <= $1
         ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE push_jobs j SET due_at = $3, attempts = j.attempts + 1
         FROM due WHERE j.device_id = due.device_id AND j.conversation_id = due.conversation_id
         RETURNING j.device_id, j.conversation_id, j.user_id, j.first_seq, j.last_seq, j.count, j.last_pos, j.attempts, due.due_at
       )
       SELECT l.*, r.target, r.key_id, d.acked_pos, m.muted_until
       FROM leased l
       JOIN push_registrations r ON r.device_id = l.device_id
       JOIN devices d ON d.id = l.device_id
       LEFT JOIN members m ON m.conversation_id = l.conversation_id AND m.user_id = l.user_id
       ORDER BY l.due_at, l.device_id, l.conversation_id`,
      [now, limit, leaseUntil],
    );
    return rows.map((row) => toClaimedJob(row, cipher));
  }

  async cancelJobs(deviceId: string): Promise<number> {
    return (await query(this.sql, 'UPDATE push_jobs SET count = 0 WHERE device_id = $1 AND count > 0', [deviceId])).rowCount ?? 0;
  }

  async hasPendingJobs(deviceId: string): Promise<boolean> {
    return (await rowOf(this.sql, 'SELECT 1 FROM push_jobs WHERE device_id = $1 AND count > 0 LIMIT 1', [deviceId])) !== undefined;
  }

  async countUnread(userId: string): Promise<number> {
    const row = await rowOf<{ unread: number }>(
      this.sql,
      `SELECT coalesce(sum(${unreadOf('m')}), 0)::bigint AS unread FROM members m WHERE m.user_id = $1 AND m.left_at_seq IS NULL`,
      [userId],
    );
    return row?.unread ?? 0;
  }
}
