import type Database from 'better-sqlite3';
import type { PushCandidate, PushJobRow, PushQueueTransaction } from '../../chat/push-queue-rule.js';
import type { ClaimedPushJob } from '../../chat/push-model.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { toCandidate, toClaimedJob, toJobState, type CandidateRow, type ClaimedJobRow, type JobStateRow } from '../push-rows.js';
import { unreadOf } from './unread.js';

interface JobKey {
  deviceId: string;
  conversationId: string;
}

/**
 * The durable push queue: one row per (device, conversation), written as
 * `queuePushJobs` (chat/push-queue-rule.ts) decides.
 * A claimed job is leased by moving its `due_at` to the lease's end: a
 * process that dies while sending leaves the job due again after it.
 */
export class PushQueries implements PushQueueTransaction {
  private readonly selectCandidates;
  private readonly selectCandidatesOfOne;
  private readonly upsertJobs;
  private readonly selectDue;
  private readonly selectAnyDue;
  private readonly lease;
  private readonly selectJob;
  private readonly cancel;
  private readonly selectPending;
  private readonly selectUnread;

  constructor(
    db: Database.Database,
    private readonly cipher: RowCipher,
  ) {
    const candidates = `SELECT r.device_id, m.user_id, m.muted_until, j.first_seq, j.last_seq, j.count, j.last_pos, j.due_at, j.attempts
       FROM members m
       JOIN push_registrations r ON r.user_id = m.user_id
       LEFT JOIN push_jobs j ON j.device_id = r.device_id AND j.conversation_id = m.conversation_id`;
    this.selectCandidates = db.prepare<[{ conversationId: string; userIds: string }], CandidateRow>(
      `${candidates} WHERE m.conversation_id = @conversationId AND m.user_id IN (SELECT value FROM json_each(@userIds))`,
    );
    // A direct message's one recipient: no JSON array to build and parse.
    this.selectCandidatesOfOne = db.prepare<[string, string], CandidateRow>(`${candidates} WHERE m.conversation_id = ? AND m.user_id = ?`);
    // One statement for the jobs of a group of any size. `WHERE true` lets SQLite parse an upsert after INSERT … SELECT.
    this.upsertJobs = db.prepare<[{ conversationId: string; jobs: string }]>(
      `INSERT INTO push_jobs (device_id, conversation_id, user_id, first_seq, last_seq, count, last_pos, due_at, attempts)
       SELECT value ->> '$.deviceId', @conversationId, value ->> '$.userId', value ->> '$.firstSeq', value ->> '$.lastSeq',
              value ->> '$.count', value ->> '$.lastPos', value ->> '$.dueAt', value ->> '$.attempts'
       FROM json_each(@jobs) WHERE true
       ON CONFLICT (device_id, conversation_id) DO UPDATE SET
         user_id = excluded.user_id, first_seq = excluded.first_seq, last_seq = excluded.last_seq, count = excluded.count,
         last_pos = excluded.last_pos, due_at = excluded.due_at, attempts = excluded.attempts`,
    );
    this.selectDue = db.prepare<[{ now: number; limit: number }], ClaimedJobRow>(
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
    this.selectJob = db.prepare<[JobKey], JobStateRow & { user_id: string }>(
      `SELECT user_id, first_seq, last_seq, count, last_pos, due_at, attempts FROM push_jobs
       WHERE device_id = @deviceId AND conversation_id = @conversationId`,
    );
    this.cancel = db.prepare<[string]>('UPDATE push_jobs SET count = 0 WHERE device_id = ? AND count > 0');
    this.selectPending = db.prepare<[string], { pending: number }>('SELECT 1 AS pending FROM push_jobs WHERE device_id = ? AND count > 0 LIMIT 1');
    // The same unread as the conversation list.
    this.selectUnread = db.prepare<[string], { unread: number }>(
      `SELECT coalesce(sum(${unreadOf('m')}), 0) AS unread FROM members m WHERE m.user_id = ? AND m.left_at_seq IS NULL`,
    );
  }

  pushCandidates(conversationId: string, userIds: readonly string[]): PushCandidate[] {
    const only = userIds.length === 1 ? userIds[0] : undefined;
    const rows =
      only === undefined
        ? this.selectCandidates.all({ conversationId, userIds: JSON.stringify(userIds) })
        : this.selectCandidatesOfOne.all(conversationId, only);
    return rows.map(toCandidate);
  }

  savePushJobs(conversationId: string, jobs: readonly PushJobRow[]): void {
    this.upsertJobs.run({ conversationId, jobs: JSON.stringify(jobs) });
  }

  /** A read that spares the poll a write transaction when nothing is due, which is most of the time. */
  anyDue(now: number): boolean {
    return this.selectAnyDue.get(now) !== undefined;
  }

  /** Runs inside one transaction, so two dispatchers never claim the same job. */
  claim(now: number, limit: number, leaseUntil: number): ClaimedPushJob[] {
    // Selected before the claim counts its attempt.
    const jobs = this.selectDue.all({ now, limit }).map((row) => toClaimedJob({ ...row, attempts: row.attempts + 1 }, this.cipher));
    for (const job of jobs) this.lease.run({ deviceId: job.deviceId, conversationId: job.conversationId, leaseUntil });
    return jobs;
  }

  pushJob(deviceId: string, conversationId: string): PushJobRow | undefined {
    const row = this.selectJob.get({ deviceId, conversationId });
    return row === undefined ? undefined : { deviceId, userId: row.user_id, ...toJobState(row) };
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
