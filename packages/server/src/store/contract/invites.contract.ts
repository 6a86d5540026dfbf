/** The Store contract for invite codes: registration by invite. */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './fixtures.js';
import { newUser, t0, tokenHash } from './fixtures.js';

export function describeInviteContract(context: ContractContext): void {
  const invitedAt = (username: string, createdAt: number) => ({ ...newUser(username), createdAt });

  describe('invites', () => {
    it('creates one account per use of a code, and refuses the code once used up with forbidden', async () => {
      const store = context.store();
      await store.createInvite({ codeHash: tokenHash('invite'), uses: 2, createdAt: t0, expiresAt: null });
      await store.createInvitedUser(invitedAt('amy', t0 + 1), tokenHash('invite'));
      await store.createInvitedUser(invitedAt('ben', t0 + 2), tokenHash('invite'));
      await expect(store.createInvitedUser(invitedAt('cat', t0 + 3), tokenHash('invite'))).rejects.toMatchObject({ code: 'forbidden' });
      expect(await store.findCredentials('amy')).toBeDefined();
      expect(await store.findCredentials('cat')).toBeUndefined();
    });

    it('refuses an unknown code, and a code at or after its expiry, with forbidden', async () => {
      const store = context.store();
      await store.createInvite({ codeHash: tokenHash('invite'), uses: 5, createdAt: t0, expiresAt: t0 + 60_000 });
      await expect(store.createInvitedUser(invitedAt('amy', t0 + 1), tokenHash('guess'))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(store.createInvitedUser(invitedAt('amy', t0 + 60_000), tokenHash('invite'))).rejects.toMatchObject({ code: 'forbidden' });
      expect(await store.findCredentials('amy')).toBeUndefined();
    });

    it('keeps the use when the username is taken (conflict)', async () => {
      const store = context.store();
      await context.fixtures().user('amy');
      await store.createInvite({ codeHash: tokenHash('invite'), uses: 1, createdAt: t0, expiresAt: null });
      await expect(store.createInvitedUser(invitedAt('amy', t0 + 1), tokenHash('invite'))).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.createInvitedUser(invitedAt('ben', t0 + 2), tokenHash('invite'))).resolves.toMatchObject({ username: 'ben' });
    });
  });
}
