import { describe, expect, it } from 'vitest';
import {
  initialMembers,
  requireAnotherAdmin,
  requireCurrentMember,
  requireGroupRight,
  requireKnownUsers,
  requireRoomFor,
  successorAdmin,
} from './group-rules.js';
import type { Conversation, Member } from './model.js';

const group: Conversation = { id: 'g_1', kind: 'group', name: 'Team', createdAt: 0, createdBy: 'u_alice', lastSeq: 3 };
const direct: Conversation = { ...group, id: 'c_1', kind: 'direct', name: '' };

function member(userId: string, role: Member['role'] = 'member', joinedAt = 0, leftAtSeq: number | null = null): Member {
  return { conversationId: 'g_1', userId, role, joinedAt, joinedAfterSeq: 0, leftAtSeq, deliveredSeq: 0, readSeq: 0 };
}

describe('initialMembers', () => {
  it('counts the creator and each member once', () => {
    expect(initialMembers('u_alice', ['u_bob', 'u_alice', 'u_bob'], 10)).toEqual(['u_alice', 'u_bob']);
  });

  it('refuses a group of fewer than 2 or more than maxGroupSize members with bad_request', () => {
    expect(() => initialMembers('u_alice', ['u_alice'], 10)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => initialMembers('u_alice', ['u_bob', 'u_carol'], 2)).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});

describe('requireKnownUsers', () => {
  it('refuses an id that names no user with not_found', () => {
    expect(() => requireKnownUsers(2, 3)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireKnownUsers(3, 3)).not.toThrow();
  });
});

describe('requireGroupRight', () => {
  it('tells a stranger not_found, even about a direct conversation or none at all', () => {
    expect(() => requireGroupRight(group, undefined, 'member')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireGroupRight(direct, undefined, 'member')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireGroupRight(undefined, member('u_alice'), 'member')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('tells a former member not_member', () => {
    expect(() => requireGroupRight(group, member('u_bob', 'member', 0, 2), 'member')).toThrow(expect.objectContaining({ code: 'not_member' }));
  });

  it('refuses to change the members of a direct conversation with bad_request', () => {
    expect(() => requireGroupRight(direct, member('u_alice'), 'member')).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('leaves admin changes to admins: forbidden for a member', () => {
    expect(() => requireGroupRight(group, member('u_bob'), 'admin')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(requireGroupRight(group, member('u_alice', 'admin'), 'admin')).toBe(group);
    expect(requireGroupRight(group, member('u_bob'), 'member')).toBe(group);
  });
});

describe('requireCurrentMember', () => {
  it('refuses a change about someone who is not a current member with not_found', () => {
    expect(() => requireCurrentMember(undefined)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireCurrentMember(member('u_bob', 'member', 0, 1))).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('requireRoomFor', () => {
  it('refuses to grow a group past maxGroupSize with bad_request', () => {
    expect(() => requireRoomFor(9, 2, 10)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => requireRoomFor(9, 1, 10)).not.toThrow();
  });
});

describe('requireAnotherAdmin', () => {
  it('refuses to revoke the last admin with conflict', () => {
    expect(() => requireAnotherAdmin([member('u_alice', 'admin'), member('u_bob')])).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => requireAnotherAdmin([member('u_alice', 'admin'), member('u_bob', 'admin')])).not.toThrow();
  });
});

describe('successorAdmin', () => {
  it('hands a group whose last admin left to the member who joined first', () => {
    expect(successorAdmin([member('u_carol', 'member', 30), member('u_bob', 'member', 20), member('u_dave', 'member', 40)])).toBe('u_bob');
  });

  it('breaks a tie of join times by user id', () => {
    expect(successorAdmin([member('u_carol', 'member', 20), member('u_bob', 'member', 20)])).toBe('u_bob');
  });

  it('names no one while an admin remains, or when no one does', () => {
    expect(successorAdmin([member('u_alice', 'admin', 50), member('u_bob', 'member', 10)])).toBeUndefined();
    expect(successorAdmin([])).toBeUndefined();
  });
});
