import type { ErrorFrame, MessageBody, SendFrame, SentFrame } from '@parley/protocol';
import type { PendingSend } from './client-storage.js';
import { Outbox } from './outbox.js';
import { ParleySendError } from './parley-send-error.js';

/** Wait before re-sending a send the server refused for now (rate-limited, storage unavailable) without saying how long. */
const retryDefaultMs = 1_000;



export interface SendQueueHost {
  /** Writes a send frame when the connection is welcomed; false otherwise (it goes out after the next welcome). */
  write(frame: SendFrame): boolean;
  /** Saves the client state, outbox included; resolves once it survives a restart. */
  save(): Promise<unknown>;
  /** The server accepted a send. */
  answered(frame: SentFrame): void;
  /** A send was refused for good. */
  failed(error: ParleySendError): void;
}

/**
 * The sending half of the client: every send goes into the outbox and is
 * saved before it is written, is written again after every welcome until
 * the server answers, and is retried after the wait the server names when
 * rate-limited or unable to write for now (`unavailable`: a full disk, a
 * locked database): the text a user typed is never dropped for a failure
 * that passes. The server dedupes by id, so retries make one message.
 */
export class SendQueue {
  private outbox = new Outbox();
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Where the client stands in an outage (`unavailable`): `waiting` for the
   * server's wait to pass, then `probing` with the oldest pending send alone.
   * New sends are held meanwhile, and the rest go out once the probe is
   * answered `sent`, so none overtakes an older one that was refused: the
   * server's refusals end at a moment that could otherwise fall in the middle
   * of a burst of re-sends, storing its tail before its head.
   */
  private outage: 'none' | 'waiting' | 'probing' = 'none';
  private outageTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: SendQueueHost) {}

  /** Sends that have no answer yet, oldest first. */
  all(): PendingSend[] {
    return this.outbox.all();
  }

  /** The sends loaded from storage: they have no promise, their answers arrive as events only. */
  restore(sends: readonly PendingSend[]): void {
    this.outbox = new Outbox(sends);
  }

  async send(conversation: string, body: MessageBody): Promise<SentFrame> {
    const send: PendingSend = { id: globalThis.crypto.randomUUID(), conversation, body, createdAt: Date.now() };
    const answer = this.outbox.add(send);
    try {
      await this.host.save();
    } catch (error) {
      this.outbox.reject(send.id, error instanceof Error ? error : new Error(String(error)));
      return answer;
    }
    this.outbox.markSaved(send.id);
    if (this.outage === 'none') this.write(send);
    return answer;
  }

  /** A new connection was welcomed: every saved, unanswered send goes out again with its id. */
  resendAll(): void {
    for (const send of this.outbox.ready()) this.write(send);
  }

  /** The server's `sent`; false when it answers no pending send (a duplicate answer). */
  answer(frame: SentFrame): boolean {
    if (!this.outbox.resolve(frame)) return false;
    clearTimeout(this.retryTimers.get(frame.id));
    this.retryTimers.delete(frame.id);
    this.host.answered(frame);
    if (this.outage === 'probing') {
      // The server stores again: everything held goes out, oldest first.
      this.outage = 'none';
      this.resendAll();
    }
    return true;
  }

  /** An error frame; false when it is about no pending send. */
  refuse(frame: ErrorFrame): boolean {
    const send = frame.ref === undefined ? undefined : this.outbox.get(frame.ref);
    if (!send) return false;
    if (frame.code === 'rate_limited') {
      this.retryLater(send, frame.retryAfterMs ?? retryDefaultMs);
      return true;
    }
    if (frame.code === 'unavailable') {
      if (this.outage !== 'waiting') {
        this.outage = 'waiting';
        this.outageTimer = setTimeout(() => this.probe(), frame.retryAfterMs ?? retryDefaultMs);
      }
      return true;
    }
    this.fail(send, new ParleySendError(frame.code, frame.message, send.id, send.conversation));
    if (this.outage === 'probing') {
      // Refused for good, but the server answered: it stores again, so the held sends go out.
      this.outage = 'none';
      this.resendAll();
    }
    return true;
  }

  /** Stored sends of another account must never go out under this one. */
  dropAll(): void {
    for (const send of this.outbox.all()) {
      this.fail(send, new ParleySendError('forbidden', 'the send was made by another user', send.id, send.conversation));
    }
  }

  /** Rejects every waiting promise with `errorFor(send)` and stops the retries; the sends stay in storage. */
  abandon(errorFor: (send: PendingSend) => ParleySendError): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    clearTimeout(this.outageTimer);
    this.outageTimer = undefined;
    this.outage = 'none';
    this.outbox.abandonWaiters(errorFor);
  }

  /** The outage's wait is over: the oldest pending send tries alone; its answer decides what follows. */
  private probe(): void {
    this.outageTimer = undefined;
    const [oldest] = this.outbox.ready();
    if (oldest === undefined) {
      this.outage = 'none';
      return;
    }
    this.outage = 'probing';
    this.write(oldest);
  }

  private fail(send: PendingSend, error: ParleySendError): void {
    this.outbox.reject(send.id, error);
    this.host.failed(error);
  }

  private retryLater(send: PendingSend, delayMs: number): void {
    clearTimeout(this.retryTimers.get(send.id));
    const timer = setTimeout(() => {
      this.retryTimers.delete(send.id);
      // After a reconnect in between, the welcome has re-sent it already; a second copy is harmless.
      if (this.outbox.get(send.id)) this.write(send);
    }, delayMs);
    this.retryTimers.set(send.id, timer);
  }

  private write(send: PendingSend): void {
    this.host.write({ type: 'send', id: send.id, conversation: send.conversation, body: send.body });
  }
}
