import type { MessageBody } from '@parley/protocol';

/** A send that has not been answered with `sent` (or a final error) yet. */
export interface PendingSend {
  /** The message id (a UUID) the client chose; re-sent unchanged on every retry. */
  id: string;
  conversation: string;
  body: MessageBody;
  createdAt: number;
}

/**
 * What a client must remember across restarts to show no message twice and
 * lose no send: the last processed pos of the user's stream, the highest seq
 * surfaced per conversation, and the outbox.
 */
export interface ClientState {
  /** The user the cursor belongs to; a different user's stream starts over. */
  user?: string;
  /** Every stream event up to this pos has been processed. */
  pos: number;
  maxSeqByConversation: Record<string, number>;
  /**
   * The lowest seq surfaced per conversation: history older than it is new to
   * the app. Absent in states saved before it was kept.
   */
  minSeqByConversation?: Record<string, number>;
  outbox: PendingSend[];
  /** A resync was started and has not finished: the next connection finishes it. */
  resyncPending?: boolean;
}

/**
 * Where a client keeps its state. `save` resolving means the state survives a
 * restart of the app; the client acks a pos only after that.
 */
export interface ClientStorage {
  load(): Promise<ClientState | undefined>;
  save(state: ClientState): Promise<void>;
}

export function emptyClientState(): ClientState {
  return { pos: 0, maxSeqByConversation: {}, outbox: [] };
}

/**
 * Checks the shape of a stored state read back from disk or elsewhere:
 * anything a storage hands back is untrusted bytes until this says otherwise.
 */
export function parseClientState(value: unknown): ClientState | undefined {
  if (!isRecord(value)) return undefined;
  const { user, pos, maxSeqByConversation, minSeqByConversation, outbox, resyncPending } = value;
  if (user !== undefined && typeof user !== 'string') return undefined;
  if (resyncPending !== undefined && typeof resyncPending !== 'boolean') return undefined;
  if (!isCounter(pos) || !Array.isArray(outbox)) return undefined;
  const maxSeqs = parseSeqs(maxSeqByConversation);
  const minSeqs = minSeqByConversation === undefined ? {} : parseSeqs(minSeqByConversation);
  if (!maxSeqs || !minSeqs) return undefined;
  const sends: PendingSend[] = [];
  for (const item of outbox) {
    const send = parsePendingSend(item);
    if (!send) return undefined;
    sends.push(send);
  }
  return {
    ...(user === undefined ? {} : { user }),
    pos,
    maxSeqByConversation: maxSeqs,
    ...(minSeqByConversation === undefined ? {} : { minSeqByConversation: minSeqs }),
    outbox: sends,
    ...(resyncPending === true ? { resyncPending } : {}),
  };
}

function parseSeqs(value: unknown): Record<string, number> | undefined {
  if (!isRecord(value)) return undefined;
  const seqs: Record<string, number> = {};
  for (const [conversation, seq] of Object.entries(value)) {
    if (!isCounter(seq)) return undefined;
    seqs[conversation] = seq;
  }
  return seqs;
}

function parsePendingSend(value: unknown): PendingSend | undefined {
  if (!isRecord(value)) return undefined;
  const { id, conversation, body, createdAt } = value;
  if (typeof id !== 'string' || typeof conversation !== 'string' || typeof createdAt !== 'number') return undefined;
  if (!isRecord(body) || typeof body.text !== 'string') return undefined;
  return { id, conversation, body: { ...body, text: body.text }, createdAt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCounter(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
