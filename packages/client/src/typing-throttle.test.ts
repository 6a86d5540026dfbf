import { FakeClock } from '@parley/server';
import type { TypingFrame } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { TypingThrottle } from './typing-throttle.js';

describe('TypingThrottle', () => {
  let clock: FakeClock;
  let frames: TypingFrame[];
  let connected: boolean;
  let throttle: TypingThrottle;
  beforeEach(() => {
    clock = new FakeClock();
    frames = [];
    connected = true;
    throttle = new TypingThrottle({
      clock,
      refreshIntervalMs: 3_000,
      send: (frame) => connected && frames.push(frame) > 0,
    });
  });

  it('sends one start for a burst of keystrokes, and a refresh once 3 s have passed', () => {
    for (let key = 0; key < 10; key++) {
      expect(throttle.setTyping('c_1', true)).toBe(true);
      clock.advance(250);
    }
    expect(frames).toHaveLength(1);
    clock.advance(500);
    throttle.setTyping('c_1', true);
    expect(frames.map((frame) => frame.active)).toEqual([true, true]);
  });

  it('sends a stop only after a start went out', () => {
    throttle.setTyping('c_1', false);
    expect(frames).toEqual([]);
    throttle.setTyping('c_1', true);
    throttle.setTyping('c_1', false);
    expect(frames).toEqual([
      { type: 'typing', conversation: 'c_1', active: true },
      { type: 'typing', conversation: 'c_1', active: false },
    ]);
  });

  it('starts again at once after a sent message, which ended the indicator at the receivers', () => {
    throttle.setTyping('c_1', true);
    throttle.messageSent('c_1');
    throttle.setTyping('c_1', true);
    expect(frames).toHaveLength(2);
  });

  it('answers false when a start is due but there is no connection, and tries again on the next keystroke', () => {
    connected = false;
    expect(throttle.setTyping('c_1', true)).toBe(false);
    connected = true;
    expect(throttle.setTyping('c_1', true)).toBe(true);
    expect(frames).toHaveLength(1);
  });
});
