/** The Store contract for the login throttle's failure counts. */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './fixtures.js';

export function describeLoginFailureContract(context: ContractContext): void {
  describe('login failures', () => {
    it('counts failures per key with the time of the last one, and reports only keys that have any', async () => {
      const store = context.store();
      await store.recordLoginFailure(['ip:10.0.0.1', 'account:alice'], 1_000);
      await store.recordLoginFailure(['ip:10.0.0.1'], 2_000);
      const failures = await store.loginFailures(['ip:10.0.0.1', 'account:alice', 'account:bob']);
      expect(failures).toEqual(
        new Map([
          ['ip:10.0.0.1', { count: 2, lastAtMs: 2_000 }],
          ['account:alice', { count: 1, lastAtMs: 1_000 }],
        ]),
      );
    });

    it('forgets one key on clear and keeps the others', async () => {
      const store = context.store();
      await store.recordLoginFailure(['ip:10.0.0.1', 'account:alice'], 1_000);
      await store.clearLoginFailures('account:alice');
      expect(await store.loginFailures(['ip:10.0.0.1', 'account:alice'])).toEqual(new Map([['ip:10.0.0.1', { count: 1, lastAtMs: 1_000 }]]));
    });

    it('counts failures recorded at once without losing any', async () => {
      const store = context.store();
      await Promise.all(Array.from({ length: 10 }, (_, index) => store.recordLoginFailure(['account:alice'], 1_000 + index)));
      expect((await store.loginFailures(['account:alice'])).get('account:alice')?.count).toBe(10);
    });
  });
}
