import { describe, expect, it } from 'vitest';
import type { AccountTransaction } from './account-rules.js';
import { createInvitedUser, type InviteTransaction } from './invite-rule.js';
import type { User } from './model.js';
import type { NewUser } from './store-port.js';

const code = Buffer.from('code');

/** Rows in memory: an invite with `usesLeft` uses until `expiresAt`, and the usernames taken. */
function rowsWith(invite: { usesLeft: number; expiresAt: number | null } | undefined, taken: string[] = []) {
  const state = { invite, spent: 0, inserted: [] as string[] };
  const rows = {
    userIdByUsername: (username: string) => (taken.includes(username) ? 'u_taken' : undefined),
    insertUser: (user: NewUser) => {
      state.inserted.push(user.username);
      return { id: user.id, username: user.username } as User;
    },
    invite: () => state.invite,
    spendInviteUse: () => {
      state.spent += 1;
    },
  } as unknown as AccountTransaction & InviteTransaction;
  return { rows, state };
}

const newUser = (username: string, createdAt = 1_000): NewUser => ({ id: `u_${username}`, username, displayName: username, passwordHash: 'h', createdAt });

describe('createInvitedUser', () => {
  it('admits a registration with a code that has uses left, and spends one', () => {
    const { rows, state } = rowsWith({ usesLeft: 2, expiresAt: null });
    expect(createInvitedUser(rows, newUser('alice'), code).username).toBe('alice');
    expect(state.spent).toBe(1);
  });

  it('refuses an unknown, used-up or expired code with forbidden, creating no one', () => {
    for (const invite of [undefined, { usesLeft: 0, expiresAt: null }, { usesLeft: 1, expiresAt: 1_000 }]) {
      const { rows, state } = rowsWith(invite);
      expect(() => createInvitedUser(rows, newUser('alice', 1_000), code)).toThrow(expect.objectContaining({ code: 'forbidden' }));
      expect(state).toMatchObject({ spent: 0, inserted: [] });
    }
  });

  it('spends no use when the username is taken', () => {
    const { rows, state } = rowsWith({ usesLeft: 1, expiresAt: null }, ['alice']);
    expect(() => createInvitedUser(rows, newUser('alice'), code)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(state.spent).toBe(0);
  });
});
