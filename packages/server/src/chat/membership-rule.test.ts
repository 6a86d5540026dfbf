import { describe, expect, it } from 'vitest';
import { requireMembership } from './membership-rule.js';

describe('requireMembership', () => {
  it('refuses someone who never was a member with not_found, revealing nothing', () => {
    expect(() => requireMembership(undefined)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireMembership(undefined, 'allow')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses a former member with not_member', () => {
    expect(() => requireMembership({ leftAtSeq: 4 })).toThrow(expect.objectContaining({ code: 'not_member' }));
  });

  it('lets a former member read what they saw when former members are allowed', () => {
    const former = { leftAtSeq: 4, userId: 'u_bob' };
    expect(requireMembership(former, 'allow')).toBe(former);
  });

  it('returns a current member', () => {
    const current = { leftAtSeq: null };
    expect(requireMembership(current)).toBe(current);
  });
});
