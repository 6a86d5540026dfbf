import type { ConversationEvent, ConversationKind, ConversationView, MessageReceiptsView, ReceiptDetailFrame, ReceiptEvent } from '@parley/protocol';

export type MessageStatus = 'sent' | 'delivered' | 'read';

/** The receipt state of one of the user's own messages. */
export interface MessageReceipts {
  conversation: string;
  seq: number;
  /**
   * `delivered` once every recipient has the message on a device, `read`
   * once every recipient has read it, `sent` before that. In a group it
   * follows the server's aggregate receipts; in a direct conversation the
   * peer's receipts, and while the members are not known yet it stays
   * `sent`: a status never claims more than the client can show.
   */
  status: MessageStatus;
  /**
   * The other users who have it on at least one device (readers included),
   * sorted. In a group the stream says only when everyone has it: who has it
   * before that comes from `loadReceiptDetail` and, while the conversation
   * is watched (`watchReceipts`), from live detail.
   */
  deliveredTo: string[];
  /** The other users who have read it, sorted; in a group, as for `deliveredTo`. */
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
  kind: ConversationKind | undefined;
  /** Per other member, from their receipts (direct), snapshots and detail. */
  progress: Map<string, Progress>;
  /** In a group: the user's own messages up to these seqs have reached (been read by) every other member. */
  all: Progress;
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
 * has status S for every message up to seq N"; in a group "every other member
 * has status S for every message of yours up to seq N"), per-member detail,
 * `created`/member events and HTTP snapshots of the conversation. Receipts
 * only move forward: a lower seq than one already known changes nothing.
 * Every method that can change the state of tracked messages returns those
 * whose state changed, for the client to announce.
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
    const state = this.stateOf(event.conversation);
    if (event.all === true) {
      state.kind = 'group';
      return this.raised(event.conversation, state, state.all, event.status, event.seq);
    }
    // The user's own read receipt is read-state sync across devices, not a recipient's progress.
    if (event.user === undefined || event.user === this.user) return [];
    return this.raised(event.conversation, state, progressOf(state, event.user), event.status, event.seq);
  }

  /** A member's live move in a watched group (`receipt_detail`). */
  detail(frame: ReceiptDetailFrame): MessageReceipts[] {
    if (frame.user === this.user) return [];
    const state = this.stateOf(frame.conversation);
    return this.raised(frame.conversation, state, progressOf(state, frame.user), frame.status, frame.seq);
  }

  /** Who had message `seq` and who read it, from `GET …/messages/:seq/receipts`: it raises each member's progress to it. */
  recipients(view: MessageReceiptsView): MessageReceipts[] {
    const state = this.stateOf(view.conversation);
    for (const member of view.members) {
      if (member.user !== this.user) raise(progressOf(state, member.user), member.delivered ? view.seq : 0, member.read ? view.seq : 0);
    }
    return this.changes(view.conversation, state, [...state.tracked.keys()].filter((seq) => seq <= view.seq));
  }

  conversationChange(event: ConversationEvent): MessageReceipts[] {
    const members = event.members ?? [];
    if (event.change === 'created') {
      const state = this.stateOf(event.conversation);
      state.kind = event.kind ?? state.kind;
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
   * does not say when they joined. In a group, the lowest seqs of the others
   * are what every one of them has: the aggregate the stream's receipts raise.
   */
  seed(view: ConversationView): MessageReceipts[] {
    const state = this.stateOf(view.id);
    state.kind = view.type;
    state.lastSeq = Math.max(state.lastSeq, view.lastSeq);
    const known = state.members;
    state.members = new Map(view.members.map((member) => [member.user, known?.get(member.user) ?? 0]));
    const others = view.members.filter((member) => member.user !== this.user);
    for (const member of others) raise(progressOf(state, member.user), member.deliveredSeq, member.readSeq);
    if (view.type === 'group' && others.length > 0) {
      raise(state.all, Math.min(...others.map((member) => member.deliveredSeq)), Math.min(...others.map((member) => member.readSeq)));
    }
    return this.changes(view.id, state, [...state.tracked.keys()]);
  }

  /** The receipt state of the user's own message `seq`, from what is known now. */
  receiptsOf(conversation: string, seq: number): MessageReceipts {
    const state = this.conversations.get(conversation);
    const deliveredTo = new Set<string>();
    const readBy = new Set<string>();
    for (const [user, progress] of state?.progress ?? []) {
      if (progress.deliveredSeq >= seq) deliveredTo.add(user);
      if (progress.readSeq >= seq) readBy.add(user);
    }
    // A group's aggregate speaks for every current member who could see the message.
    if (state?.kind === 'group') {
      for (const user of recipientsOf(state, this.user, seq)) {
        if (state.all.deliveredSeq >= seq) deliveredTo.add(user);
        if (state.all.readSeq >= seq) readBy.add(user);
      }
    }
    return { conversation, seq, status: statusOf(state, this.user, seq), deliveredTo: [...deliveredTo].sort(), readBy: [...readBy].sort() };
  }

  /** Raises `progress` by a receipt of `status` up to `seq`; the tracked messages up to it may have changed. */
  private raised(conversation: string, state: ConversationReceipts, progress: Progress, status: MessageStatus, seq: number): MessageReceipts[] {
    if (!raise(progress, seq, status === 'read' ? seq : 0)) return [];
    return this.changes(conversation, state, [...state.tracked.keys()].filter((tracked) => tracked <= seq));
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
      state = { kind: undefined, progress: new Map(), all: { deliveredSeq: 0, readSeq: 0 }, members: undefined, tracked: new Map(), lastSeq: 0 };
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
  if (state?.kind === 'group') {
    if (state.all.readSeq >= seq) return 'read';
    return state.all.deliveredSeq >= seq ? 'delivered' : 'sent';
  }
  const recipients = state === undefined ? [] : recipientsOf(state, user, seq);
  if (recipients.length === 0) return 'sent';
  const progress = recipients.map((member) => state?.progress.get(member));
  if (progress.every((entry) => entry !== undefined && entry.readSeq >= seq)) return 'read';
  if (progress.every((entry) => entry !== undefined && entry.deliveredSeq >= seq)) return 'delivered';
  return 'sent';
}

/** The known current members, other than the user, who joined before message `seq`; none while the members are unknown. */
function recipientsOf(state: ConversationReceipts, user: string | undefined, seq: number): string[] {
  return [...(state.members ?? [])].filter(([member, joinedAfterSeq]) => member !== user && joinedAfterSeq < seq).map(([member]) => member);
}
