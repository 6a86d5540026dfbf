import type { Delivery, Message } from './model.js';

/**
 * A device's push job for one conversation: `count > 0` means `count`
 * messages up to `lastSeq` wait to be notified, from `firstSeq` on.
 */
export interface PushJobState {
  firstSeq: number;
  lastSeq: number;
  count: number;
  /** The pos of the newest of them in the user's stream. */
  lastPos: number;
  dueAt: number;
  attempts: number;
}

/** A device that may be woken for a message: registered for push, of a member the message reached. */
export interface PushCandidate {
  deviceId: string;
  userId: string;
  /** The member's mute of the conversation; null when not muted. */
  mutedUntil: number | null;
  /** The device's job for the conversation, if it ever had one. */
  job: PushJobState | undefined;
}

/** A device's job as stored: the state and whose it is. */
export type PushJobRow = PushJobState & { deviceId: string; userId: string };

/** The rows the push queue reads and writes, inside the transaction of the change. */
export interface PushQueueTransaction {
  /** The push-registered devices of these users (current members of the conversation), with their jobs. */
  pushCandidates(conversationId: string, userIds: readonly string[]): PushCandidate[];
  /** The device's job for the conversation; undefined when it never had one or the device is gone. */
  pushJob(deviceId: string, conversationId: string): PushJobRow | undefined;
  /** Writes each device's job for the conversation, creating it when it has none. */
  savePushJobs(conversationId: string, jobs: readonly PushJobRow[]): void;
}

/** What queueing a message's pushes reads and writes. */
export type PushEnqueueTransaction = Pick<PushQueueTransaction, 'pushCandidates' | 'savePushJobs'>;

/** What the dispatcher claimed of a job: the newest seq and how many messages it notifies of. */
export interface ClaimedPart {
  deviceId: string;
  conversationId: string;
  lastSeq: number;
  count: number;
}

/**
 * Queues a push for a newly appended message: for every registered device of
 * every member the message reached, other than its sender, unless the member
 * muted the conversation. Must run in the message's own transaction: a push
 * job exists exactly when its message does. A user who got no event (a
 * message withheld by a block) gets no push either.
 */
export function queuePushJobs(
  transaction: PushEnqueueTransaction,
  message: Message,
  deliveries: readonly Delivery[],
  coalesceMs: number,
): void {
  const recipients = deliveries.filter((delivery) => delivery.userId !== message.senderId);
  const posOfRecipient = new Map(recipients.map((delivery) => [delivery.userId, delivery.pos]));
  if (posOfRecipient.size === 0) return;
  const jobs = [];
  for (const candidate of transaction.pushCandidates(message.conversationId, [...posOfRecipient.keys()])) {
    const pos = posOfRecipient.get(candidate.userId);
    if (pos === undefined || isMuted(candidate.mutedUntil, message.at)) continue;
    const job = coalescePushJob(candidate.job, { seq: message.seq, pos, dueAt: message.at + coalesceMs });
    if (job !== undefined) jobs.push({ deviceId: candidate.deviceId, userId: candidate.userId, ...job });
  }
  if (jobs.length > 0) transaction.savePushJobs(message.conversationId, jobs);
}

/** A mute lasts until its time; null is no mute. */
export function isMuted(mutedUntil: number | null, at: number): boolean {
  return mutedUntil !== null && mutedUntil > at;
}

/**
 * Coalescing: one job per device and conversation gathers the messages not
 * yet notified, due `coalesceMs` after the first of them; a later message
 * joins it without moving its due time. A message is queued for a device at
 * most once, ever: only above the job's newest seq, so no retry, restart or
 * re-append notifies a device twice of one message. Undefined: nothing to write.
 */
export function coalescePushJob(job: PushJobState | undefined, queued: { seq: number; pos: number; dueAt: number }): PushJobState | undefined {
  if (job !== undefined && queued.seq <= job.lastSeq) return undefined;
  if (job === undefined || job.count === 0) {
    return { firstSeq: queued.seq, lastSeq: queued.seq, count: 1, lastPos: queued.pos, dueAt: queued.dueAt, attempts: 0 };
  }
  return { ...job, lastSeq: queued.seq, count: job.count + 1, lastPos: queued.pos };
}

/**
 * A claimed job ended, sent or given up: its messages are never queued or
 * notified again. Messages queued while it was out wait on, due at
 * `nextDueAt`. A job cancelled and refilled while out (its first seq above
 * the claim's) is not this claim's, and stays as it is.
 */
export function completePushJob(transaction: PushQueueTransaction, claimed: ClaimedPart, nextDueAt: number): void {
  const job = transaction.pushJob(claimed.deviceId, claimed.conversationId);
  if (job === undefined) return;
  const completed = afterCompletion(job, claimed, nextDueAt);
  if (completed !== job) transaction.savePushJobs(claimed.conversationId, [{ ...job, ...completed }]);
}

export function afterCompletion(job: PushJobState, claimed: Pick<ClaimedPart, 'lastSeq' | 'count'>, nextDueAt: number): PushJobState {
  if (job.firstSeq > claimed.lastSeq) return job;
  if (job.lastSeq === claimed.lastSeq) return { ...job, count: 0, attempts: 0 };
  return { ...job, firstSeq: claimed.lastSeq + 1, count: Math.max(job.count - claimed.count, 0), dueAt: nextDueAt, attempts: 0 };
}

/** Puts a claimed job back, due at `dueAt`, with what was queued meanwhile; a job cancelled meanwhile stays cancelled. */
export function retryPushJob(transaction: PushQueueTransaction, claimed: ClaimedPart, dueAt: number): void {
  const job = transaction.pushJob(claimed.deviceId, claimed.conversationId);
  if (job === undefined || job.count === 0 || job.firstSeq > claimed.lastSeq) return;
  transaction.savePushJobs(claimed.conversationId, [{ ...job, dueAt }]);
}
