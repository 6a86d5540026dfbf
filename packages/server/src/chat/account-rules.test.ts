import { describe, expect, it } from 'vitest';
import { requireDevice, requireOwnDevice } from './account-rules.js';
import { directPairKey } from './direct-pair.js';

describe('requireOwnDevice', () => {
  it("treats someone else's device as unknown: not_found", () => {
    expect(() => requireOwnDevice('u_bob', 'u_alice')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireOwnDevice(undefined, 'u_alice')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireOwnDevice('u_alice', 'u_alice')).not.toThrow();
  });
});

describe('requireDevice', () => {
  it('refuses an unknown device with not_found', () => {
    expect(() => requireDevice(undefined)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(requireDevice(7)).toBe(7);
  });
});

describe('directPairKey', () => {
  it('names a pair the same either way round, so a pair has one direct conversation', () => {
    expect(directPairKey(['u_bob', 'u_alice'])).toBe(directPairKey(['u_alice', 'u_bob']));
  });

  it('refuses a direct conversation with oneself with bad_request', () => {
    expect(() => directPairKey(['u_alice', 'u_alice'])).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});
