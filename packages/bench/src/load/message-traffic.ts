import type { RunRecorder } from '../metrics/run-recorder.js';
import { numberField, stringField } from './frame-scan.js';
import type { LeanSocket } from './lean-socket.js';
import { SendFrames } from './send-frames.js';

/** A socket that sends into one conversation. */
export interface SenderSlot {
  socket: LeanSocket;
  conversation: string;
  frames: SendFrames;
  /** Sends written and not yet answered. */
  inFlight: number;
}

/** Counts over the whole run (warm-up included), for the loss and duplicate checks. */
export interface TrafficTotals {
  written: number;
  acknowledged: number;
  delivered: number;
  duplicates: number;
  /** Receivers that saw a seq jump in a conversation: a message missing or out of order. */
  gaps: number;
  refused: number;
  /** Receipt events received live, in either form: one per recipient (`user`), or one for all of a group (`"all":true`). */
  receipts: number;
  aggregateReceipts: number;
}

/**
 * The bookkeeping of messages in flight: writes `send` frames, matches
 * `sent` answers and deliveries to their send time, and checks every
 * receiver sees each conversation's seqs once and in order.
 */
export class MessageTraffic {
  readonly totals: TrafficTotals = {
    written: 0,
    acknowledged: 0,
    delivered: 0,
    duplicates: 0,
    gaps: 0,
    refused: 0,
    receipts: 0,
    aggregateReceipts: 0,
  };
  /** Called with the sender slot whenever one of its sends is answered (closed loop). */
  onAnswered: ((slot: SenderSlot) => void) | undefined;
  private closing = false;
  private readonly pending = new Map<string, { dueMs: number; slot: SenderSlot }>();
  private readonly users = new Map<LeanSocket, string>();
  private readonly lastSeq = new Map<LeanSocket, Map<string, number>>();

  /** Swappable, so one set of sockets can serve several measured runs (the ramp's steps). */
  constructor(public recorder: RunRecorder) {}

  /** Routes a socket's frames here; `userId` tells its own messages (echoes) from deliveries. */
  attach(socket: LeanSocket, userId: string): void {
    this.users.set(socket, userId);
    this.lastSeq.set(socket, new Map());
    socket.onFrame = (from, type, text) => this.onFrame(from, type, text);
    void socket.closed.then((code) => {
      // A socket the server closed (slow consumer, shutdown, crash) is an error of the run, not of the tool.
      if (!this.closing) this.recorder.recordError(`socket closed ${code}`);
    });
  }

  /** The fleet is closing its sockets: their closes are no longer errors. */
  close(): void {
    this.closing = true;
  }

  send(slot: SenderSlot, dueMs: number): void {
    const { id, frame } = slot.frames.next(dueMs);
    this.pending.set(id, { dueMs, slot });
    slot.inFlight++;
    this.totals.written++;
    slot.socket.send(frame);
  }

  get unanswered(): number {
    return this.pending.size;
  }

  private onFrame(socket: LeanSocket, type: string, text: string): void {
    switch (type) {
      case 'message':
        return this.onMessage(socket, text);
      case 'sent':
        return this.onAnswer(stringField(text, 'id'), undefined);
      case 'error':
        return this.onAnswer(stringField(text, 'ref'), stringField(text, 'code') ?? 'unknown');
      case 'receipt':
        // Counted, never relied on: nothing of the load waits for a receipt, whichever form the server sends.
        this.totals.receipts++;
        if (text.includes('"all":true')) this.totals.aggregateReceipts++;
        return;
    }
  }

  private onMessage(socket: LeanSocket, text: string): void {
    const conversation = stringField(text, 'conversation') ?? '';
    const seq = numberField(text, 'seq');
    const seen = this.lastSeq.get(socket);
    const last = seen?.get(conversation) ?? 0;
    if (seq <= last) {
      this.totals.duplicates++;
      return;
    }
    // The first message seen in a conversation may follow ones from before this run.
    if (last !== 0 && seq !== last + 1) this.totals.gaps++;
    seen?.set(conversation, seq);
    if (stringField(text, 'sender') === this.users.get(socket)) return; // its own message, echoed to the sender's stream
    const dueMs = numberField(text, 't', text.indexOf('"body":'));
    this.totals.delivered++;
    if (Number.isFinite(dueMs)) this.recorder.recordDelivery(performance.now() - dueMs);
  }

  private onAnswer(id: string | undefined, errorCode: string | undefined): void {
    const entry = id === undefined ? undefined : this.pending.get(id);
    if (errorCode !== undefined) {
      this.recorder.recordError(errorCode);
      this.totals.refused++;
    }
    if (entry === undefined || id === undefined) return;
    this.pending.delete(id);
    entry.slot.inFlight--;
    if (errorCode === undefined) {
      this.totals.acknowledged++;
      this.recorder.recordSent(performance.now() - entry.dueMs);
    }
    this.onAnswered?.(entry.slot);
  }
}
