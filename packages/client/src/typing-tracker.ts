import type { TypingEvent } from '@parley/protocol';
import type { Clock } from './clock.js';

export interface TypingTrackerOptions {
  clock: Clock;
  /** An indicator not refreshed for this long is over (the stop frame may never come: typing is not replayed). */
  expiryMs: number;
  /** Told of every change: a start, a stop, an expiry. */
  onChange(event: TypingEvent): void;
}

/**
 * Who is typing where, on the receiving side. Typing frames are ephemeral and
 * a sender that vanishes never says it stopped, so each indicator expires
 * unless refreshed within `expiryMs`. A message from the typing user ends
 * their indicator too: they were typing that message.
 */
export class TypingTracker {
  /** Conversation → user → the expiry timer. */
  private readonly typing = new Map<string, Map<string, unknown>>();

  constructor(private readonly options: TypingTrackerOptions) {}

  /** A typing frame from the server; reports only changes, refreshes restart the expiry. */
  apply(event: TypingEvent): void {
    if (event.active) this.start(event.conversation, event.user);
    else this.stop(event.conversation, event.user);
  }

  /** A message from `user`: they stopped typing it. */
  messageFrom(conversation: string, user: string): void {
    this.stop(conversation, user);
  }

  /** The users typing in `conversation` now, in the order they started. */
  typingIn(conversation: string): string[] {
    return [...(this.typing.get(conversation)?.keys() ?? [])];
  }

  /** Forgets every indicator without reporting: the client is closing. */
  clear(): void {
    for (const users of this.typing.values()) for (const timer of users.values()) this.options.clock.cancel(timer);
    this.typing.clear();
  }

  private start(conversation: string, user: string): void {
    let users = this.typing.get(conversation);
    if (users === undefined) {
      users = new Map();
      this.typing.set(conversation, users);
    }
    const previous = users.get(user);
    if (previous !== undefined) this.options.clock.cancel(previous);
    users.set(
      user,
      this.options.clock.schedule(this.options.expiryMs, () => this.stop(conversation, user)),
    );
    if (previous === undefined) this.options.onChange({ type: 'typing', conversation, user, active: true });
  }

  private stop(conversation: string, user: string): void {
    const users = this.typing.get(conversation);
    const timer = users?.get(user);
    if (users === undefined || timer === undefined) return;
    this.options.clock.cancel(timer);
    users.delete(user);
    if (users.size === 0) this.typing.delete(conversation);
    this.options.onChange({ type: 'typing', conversation, user, active: false });
  }
}
