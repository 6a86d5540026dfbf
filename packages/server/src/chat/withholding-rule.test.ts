import { describe, expect, it } from 'vitest';
import { isWithheld } from './withholding-rule.js';

/** Bob blocked Alice. */
const blockersOf = (userId: string) => (userId === 'u_alice' ? ['u_bob'] : []);

describe('isWithheld', () => {
  it('withholds a message to a direct conversation whose other member blocked the sender', () => {
    expect(isWithheld('direct', ['u_alice', 'u_bob'], 'u_alice', blockersOf('u_alice'))).toBe(true);
  });

  it('does not withhold a message from a sender blocked by someone outside the conversation', () => {
    expect(isWithheld('direct', ['u_alice', 'u_carol'], 'u_alice', blockersOf('u_alice'))).toBe(false);
  });

  it('does not withhold the messages of the one who blocked', () => {
    expect(isWithheld('direct', ['u_alice', 'u_bob'], 'u_bob', blockersOf('u_bob'))).toBe(false);
  });

  it('never withholds a group message, blocks or not', () => {
    expect(isWithheld('group', ['u_alice', 'u_bob', 'u_carol'], 'u_alice', blockersOf('u_alice'))).toBe(false);
  });
});
