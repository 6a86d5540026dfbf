import type { ConversationEvent, ConversationView, ReceiptEvent } from '@parley/protocol';

export type MessageStatus = 'sent' | 'delivered' | 'read';

/** The receipt state of one of the user's own messages. */
export interface MessageReceipts {
  conversation: string;
  seq: number;
  /**
   * `delivered` once every recipient has the message on a device, `read`
   * once every recipient has read it, `sent` before that. While the members
   * of the conversation are not known yet it stays `sent`: a status never
   * claims more than the client can show.
   */
  status: MessageStatus;
  /** The other users who have it on at least one device (readers included), sorted. */
  deliveredTo: string[];
  /** The other users who have read it, sorted. */
  readBy: string[];
}

export interface ReceiptTrackerOptions {
  /** Own messages per conversation whose status changes are reported; the oldest are dropped past it. Default 200. */
  trackedPerConversationMax?: number;
}

/** How far one user has got in one conversation: cumulative, so one number per status. */
interface Progress {
  deliveredSeq: number;
  readSeq: number;
}

interface ConversationReceipts {
  progress: Map<string, Progress>;
  /**
   * Current members and the seq they joined after (they are recipients of
   * later messages only); undefined while the membership is unknown.
   */
  members: Map<string, number> | undefined;
  /** Own messages whose status may still change, with the last state reported. */
  tracked: Map<number, string>;
  /** The highest seq seen in the conversation: the join point of a member added now. */
  lastSeq: number;
}

/**
 * Receipt state of the user's own messages, from cumulative receipts ("user U
 * has status S for every message up to seq N"), `created`/member events and
 * HTTP snapshots of the conversation. Receipts only move forward: a lower seq
 * than one already known changes nothing. Every method that can change the
 * state of tracked messages returns those whose state changed, for the
 * client to announce.
 */
export class ReceiptTracker {
  private user: string | undefined;
  private readonly conversations = new Map<string, ConversationReceipts>();
  private readonly trackedMax: number;

  constructor(options: ReceiptTrackerOptions = {}) {
    this.trackedMax = options.trackedPerConversationMax ?? 200;
  }

  /** The signed-in user; another user's receipts are forgotten. */
  setUser(user: string): void {
    if (this.user !== undefined && this.user !== user) this.conversations.clear();
    this.user = user;
  }

  knowsMembers(conversation: string): boolean {
    return this.conversations.get(conversation)?.members !== undefined;
  }

  /** A message seen in a conversation; the user's own ones are tracked from now on. */
  message(conversation: string, seq: number, sender: string): MessageReceipts[] {
    const state = this.stateOf(conversation);
    state.lastSeq = Math.max(state.lastSeq, seq);
    if (sender !== this.user || state.tracked.has(seq)) return [];
    state.tracked.set(seq, '');
    while (state.tracked.size > this.trackedMax) state.tracked.delete(Math.min(...state.tracked.keys()));
    return this.changes(conversation, state, [seq]);
  }

  receipt(event: ReceiptEvent): MessageReceipts[] {
    // The user's own read receipt is read-state sync across devices, not a recipient's progress.
    if (event.user === this.user) return [];
    const state = this.stateOf(event.conversation);
    const progress = progressOf(state, event.user);
    const raised = event.status === 'read' ? raise(progress, event.seq, event.seq) : raise(progress, event.seq, 0);
    if (!raised) return [];
    return this.changes(event.conversation, state, [...state.tracked.keys()].filter((seq) => seq <= event.seq));
  }

  conversationChange(event: ConversationEvent): MessageReceipts[] {
    const members = event.members ?? [];
    if (event.change === 'created') {
      const state = this.stateOf(event.conversation);
      state.members = new Map(members.map((member) => [member, 0]));
      return this.changes(event.conversation, state, [...state.tracked.keys()]);
    }
    const state = this.conversations.get(event.conversation);
    if (state?.members === undefined) return [];
    const leaving = event.change === 'member_removed' || event.change === 'member_left';
    if (leaving && this.user !== undefined && members.includes(this.user)) {
      // A former member gets no more receipts: nothing here can change again.
      this.conversations.delete(event.conversation);
      return [];
    }
    if (event.change === 'member_added') for (const member of members) state.members.set(member, state.lastSeq);
    else if (leaving) for (const member of members) state.members.delete(member);
    else return [];
    return this.changes(event.conversation, state, [...state.tracked.keys()]);
  }

  /**
   * An HTTP snapshot of the conversation (`GET /v1/conversations/:id`). Its
   * members become the membership; their delivered and read seqs count only
   * where they are ahead of what is known. A member the snapshot shows for
   * the first time counts as a recipient of every message, since the snapshot
   * does not say when they joined.
   */
  seed(view: ConversationView): MessageReceipts[] {
    const state = this.stateOf(view.id);
    state.lastSeq = Math.max(state.lastSeq, view.lastSeq);
    const known = state.members;
    state.members = new Map(view.members.map((member) => [member.user, known?.get(member.user) ?? 0]));
    for (const member of view.members) {
      if (member.user !== this.user) raise(progressOf(state, member.user), member.deliveredSeq, member.readSeq);
    }
    return this.changes(view.id, state, [...state.tracked.keys()]);
  }

  /** The receipt state of the user's own message `seq`, from what is known now. */
  receiptsOf(conversation: string, seq: number): MessageReceipts {
    const state = this.conversations.get(conversation);
    const deliveredTo: string[] = [];
    const readBy: string[] = [];
    for (const [user, progress] of state?.progress ?? []) {
      if (progress.deliveredSeq >= seq) deliveredTo.push(user);
      if (progress.readSeq >= seq) readBy.push(user);
    }
    deliveredTo.sort();
    readBy.sort();
    return { conversation, seq, status: statusOf(state, this.user, seq), deliveredTo, readBy };
  }

  private changes(conversation: string, state: ConversationReceipts, seqs: number[]): MessageReceipts[] {
    const changed: MessageReceipts[] = [];
    for (const seq of seqs.sort((a, b) => a - b)) {
      const receipts = this.receiptsOf(conversation, seq);
      const key = `${receipts.status}|${receipts.deliveredTo.join(',')}|${receipts.readBy.join(',')}`;
      if (state.tracked.get(seq) === key) continue;
      changed.push(receipts);
      // Read by every recipient is final: receipts never go back, and later members are not its recipients.
      if (receipts.status === 'read') state.tracked.delete(seq);
      else state.tracked.set(seq, key);
    }
    return changed;
  }

  private stateOf(conversation: string): ConversationReceipts {
    let state = this.conversations.get(conversation);
    if (state === undefined) {
      state = { progress: new Map(), members: undefined, tracked: new Map(), lastSeq: 0 };
      this.conversations.set(conversation, state);
    }
    return state;
  }
}

function progressOf(state: ConversationReceipts, user: string): Progress {
  let progress = state.progress.get(user);
  if (progress === undefined) {
    progress = { deliveredSeq: 0, readSeq: 0 };
    state.progress.set(user, progress);
  }
  return progress;
}

/** Moves progress forward only (a read is a delivery too); true when anything rose. */
function raise(progress: Progress, deliveredSeq: number, readSeq: number): boolean {
  const delivered = Math.max(progress.deliveredSeq, deliveredSeq, readSeq);
  const read = Math.max(progress.readSeq, readSeq);
  if (delivered === progress.deliveredSeq && read === progress.readSeq) return false;
  progress.deliveredSeq = delivered;
  progress.readSeq = read;
  return true;
}

function statusOf(state: ConversationReceipts | undefined, user: string | undefined, seq: number): MessageStatus {
  if (state?.members === undefined) return 'sent';
  const recipients = [...state.members].filter(([member, joinedAfterSeq]) => member !== user && joinedAfterSeq < seq);
  if (recipients.length === 0) return 'sent';
  const progress = recipients.map(([member]) => state.progress.get(member));
  if (progress.every((entry) => entry !== undefined && entry.readSeq >= seq)) return 'read';
  if (progress.every((entry) => entry !== undefined && entry.deliveredSeq >= seq)) return 'delivered';
  return 'sent';
}
