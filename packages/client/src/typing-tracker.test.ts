import { FakeClock } from '@parley/server';
import type { TypingEvent } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { TypingTracker } from './typing-tracker.js';

const typing = (user: string, active: boolean): TypingEvent => ({ type: 'typing', conversation: 'c_1', user, active });

describe('TypingTracker', () => {
  let clock: FakeClock;
  let changes: TypingEvent[];
  let tracker: TypingTracker;
  beforeEach(() => {
    clock = new FakeClock();
    changes = [];
    tracker = new TypingTracker({ clock, expiryMs: 6_000, onChange: (event) => changes.push(event) });
  });

  it('reports a start once however often it is refreshed, and who is typing', () => {
    tracker.apply(typing('u_bob', true));
    tracker.apply(typing('u_bob', true));
    tracker.apply(typing('u_carol', true));
    expect(changes).toEqual([typing('u_bob', true), typing('u_carol', true)]);
    expect(tracker.typingIn('c_1')).toEqual(['u_bob', 'u_carol']);
  });

  it('expires an indicator not refreshed within 6 s, reporting it as stopped', () => {
    tracker.apply(typing('u_bob', true));
    clock.advance(5_999);
    expect(tracker.typingIn('c_1')).toEqual(['u_bob']);
    clock.advance(1);
    expect(changes.at(-1)).toEqual(typing('u_bob', false));
    expect(tracker.typingIn('c_1')).toEqual([]);
  });

  it('keeps a refreshed indicator alive past the first expiry', () => {
    tracker.apply(typing('u_bob', true));
    clock.advance(4_000);
    tracker.apply(typing('u_bob', true));
    clock.advance(4_000);
    expect(tracker.typingIn('c_1')).toEqual(['u_bob']);
    clock.advance(2_000);
    expect(tracker.typingIn('c_1')).toEqual([]);
  });

  it('ends an indicator on a stop frame or a message from the typist, and reports a stop once', () => {
    tracker.apply(typing('u_bob', true));
    tracker.apply(typing('u_carol', true));
    tracker.apply(typing('u_bob', false));
    tracker.messageFrom('c_1', 'u_carol');
    tracker.messageFrom('c_1', 'u_carol');
    tracker.apply(typing('u_bob', false));
    expect(changes.filter((event) => !event.active)).toEqual([typing('u_bob', false), typing('u_carol', false)]);
    clock.advance(10_000);
    expect(changes).toHaveLength(4);
  });
});
