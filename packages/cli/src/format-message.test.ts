import { describe, expect, it } from 'vitest';
import { formatMessage } from './format-message.js';

const at = new Date(2026, 0, 2, 14, 3, 27).getTime();

describe('formatMessage', () => {
  it('prints the time, the sender and the text', () => {
    expect(formatMessage({ at, body: { text: 'hello' } }, 'alice')).toBe('[14:03:27] alice: hello');
  });

  it('shows a message the server could not read as "(unreadable message)" rather than an empty text', () => {
    expect(formatMessage({ at, body: { text: '' }, unreadable: true }, 'alice')).toBe('[14:03:27] alice: (unreadable message)');
  });
});
