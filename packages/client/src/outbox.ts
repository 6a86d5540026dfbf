import type { SentFrame } from '@parley/protocol';
import type { PendingSend } from './client-storage.js';

interface Waiter {
  resolve(frame: SentFrame): void;
  reject(error: Error): void;
}

/**
 * The sends that have no answer yet, in the order they were made, and the
 * promises waiting for them. A send restored from storage after a restart
 * has no promise: its answer reaches the app as a `sent` event only.
 */
export class Outbox {
  private readonly sends = new Map<string, PendingSend>();
  private readonly waiters = new Map<string, Waiter>();
  /** Sends not yet in storage: they must not go out before they are. */
  private readonly unsaved = new Set<string>();

  constructor(restored: readonly PendingSend[] = []) {
    for (const send of restored) this.sends.set(send.id, send);
  }

  get size(): number {
    return this.sends.size;
  }

  /** Adds a send (not yet saved) and returns the promise its answer settles. */
  add(send: PendingSend): Promise<SentFrame> {
    this.sends.set(send.id, send);
    this.unsaved.add(send.id);
    return new Promise<SentFrame>((resolve, reject) => this.waiters.set(send.id, { resolve, reject }));
  }

  markSaved(id: string): void {
    this.unsaved.delete(id);
  }

  get(id: string): PendingSend | undefined {
    return this.sends.get(id);
  }

  /** Every send, saved or not: what storage must hold. */
  all(): PendingSend[] {
    return [...this.sends.values()];
  }

  /** The sends that may go out: those already in storage. */
  ready(): PendingSend[] {
    return this.all().filter((send) => !this.unsaved.has(send.id));
  }

  /** Settles a send with its `sent` answer. False when the id is not pending. */
  resolve(frame: SentFrame): boolean {
    if (!this.sends.delete(frame.id)) return false;
    this.unsaved.delete(frame.id);
    this.waiters.get(frame.id)?.resolve(frame);
    this.waiters.delete(frame.id);
    return true;
  }

  /** Drops a send for good and rejects its promise. False when the id is not pending. */
  reject(id: string, error: Error): boolean {
    if (!this.sends.delete(id)) return false;
    this.unsaved.delete(id);
    this.waiters.get(id)?.reject(error);
    this.waiters.delete(id);
    return true;
  }

  /** Rejects every waiting promise but keeps the sends, which storage still holds. */
  abandonWaiters(errorFor: (send: PendingSend) => Error): void {
    for (const [id, waiter] of this.waiters) {
      const send = this.sends.get(id);
      if (send) waiter.reject(errorFor(send));
    }
    this.waiters.clear();
  }
}
