import type { PushCandidate, PushJobState } from '../chat/push-queue-rule.js';
import type { ClaimedPushJob } from '../chat/push-model.js';
import { openPushTarget } from '../keys/push-target-json.js';
import type { RowCipher } from '../keys/row-cipher.js';

/**
 * The push queue's rows as both adapters return them, and their mapping to
 * the core's push model (chat/push-queue-rule.ts, chat/push-model.ts).
 */
export interface JobStateRow {
  first_seq: number;
  last_seq: number;
  count: number;
  last_pos: number;
  due_at: number;
  attempts: number;
}

/** The job's columns are null for a device that never had a job in the conversation. */
export type CandidateRow = { device_id: string; user_id: string; muted_until: number | null } & { [K in keyof JobStateRow]: number | null };

/** A claimed job with what sending it needs: the registration, the device's acked pos, the mute. */
export interface ClaimedJobRow {
  device_id: string;
  conversation_id: string;
  user_id: string;
  first_seq: number;
  last_seq: number;
  count: number;
  last_pos: number;
  /** Attempts counted, this claim's included. */
  attempts: number;
  target: Buffer;
  key_id: number;
  acked_pos: number;
  muted_until: number | null;
}

export function toClaimedJob(row: ClaimedJobRow, cipher: RowCipher): ClaimedPushJob {
  return {
    deviceId: row.device_id,
    userId: row.user_id,
    conversationId: row.conversation_id,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    count: row.count,
    lastPos: row.last_pos,
    attempts: row.attempts,
    target: openPushTarget(cipher, row.device_id, row),
    deviceAckedPos: row.acked_pos,
    mutedUntil: row.muted_until,
  };
}

export function toCandidate(row: CandidateRow): PushCandidate {
  const { first_seq, last_seq, count, last_pos, due_at, attempts } = row;
  const job =
    first_seq === null || last_seq === null || count === null || last_pos === null || due_at === null || attempts === null
      ? undefined
      : toJobState({ first_seq, last_seq, count, last_pos, due_at, attempts });
  return { deviceId: row.device_id, userId: row.user_id, mutedUntil: row.muted_until, job };
}

export function toJobState(row: JobStateRow): PushJobState {
  return { firstSeq: row.first_seq, lastSeq: row.last_seq, count: row.count, lastPos: row.last_pos, dueAt: row.due_at, attempts: row.attempts };
}
