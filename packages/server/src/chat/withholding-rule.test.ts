import { describe, expect, it } from 'vitest';
import { isWithheld } from './withholding-rule.js';

const blocks = new Set(['u_bob>u_alice']);
const hasBlocked = (userId: string, blockedId: string) => blocks.has(`${userId}>${blockedId}`);

describe('isWithheld', () => {
  it('withholds a message to a direct conversation whose other member blocked the sender', () => {
    expect(isWithheld('direct', ['u_alice', 'u_bob'], 'u_alice', hasBlocked)).toBe(true);
  });

  it('does not withhold the messages of the one who blocked', () => {
    expect(isWithheld('direct', ['u_alice', 'u_bob'], 'u_bob', hasBlocked)).toBe(false);
  });

  it('never withholds a group message, blocks or not', () => {
    expect(isWithheld('group', ['u_alice', 'u_bob', 'u_carol'], 'u_alice', hasBlocked)).toBe(false);
  });
});
