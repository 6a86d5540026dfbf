import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../chat/parley-error.js';
import type { MessageDraft } from '../../chat/model.js';
import { eventually } from '../../testing/eventually.js';
import { ThrowawayPostgres } from '../../testing/throwaway-postgres.js';
import { Fixtures } from '../contract/fixtures.js';
import { PostgresStore } from './postgres-store.js';

let postgres: ThrowawayPostgres;
beforeAll(async () => {
  postgres = await ThrowawayPostgres.create();
}, 60_000);
afterAll(() => postgres.remove());

describe('PostgresStore across a PostgreSQL restart', () => {
  it('rejects writes with unavailable while PostgreSQL is down, loses none it resolved, and writes again once it is back', async () => {
    const writable: unknown[] = [];
    const store = await PostgresStore.open({ databaseUrl: postgres.url, poolSize: 2, onWritableChange: (failure) => writable.push(failure) });
    try {
      const make = new Fixtures(store);
      const [alice, bob] = await make.users('alice', 'bob');
      const conversation = await make.direct(alice, bob);

      // A sender as the SDK is one: each message is sent until it is answered, the same id each time.
      const sent = new Map<string, number>();
      const refusals: unknown[] = [];
      let sending = true;
      const sender = (async () => {
        while (sending) {
          const draft: MessageDraft = make.draft(conversation, alice, `m${sent.size + 1}`);
          for (;;) {
            try {
              sent.set(draft.id, (await store.append(draft)).message.seq);
              break;
            } catch (error) {
              refusals.push(error);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          }
        }
      })();

      await eventually(() => sent.size >= 20, 'messages sent before the stop');
      await postgres.stop();
      await eventually(() => refusals.length > 0, 'a refusal while PostgreSQL is down');
      expect(await store.canWrite(1_000)).toBe(false);
      const sentWhileDown = sent.size;
      await postgres.start();
      await eventually(() => sent.size > sentWhileDown + 20, 'messages sent after the start', 15_000);
      sending = false;
      await sender;
      expect(await store.canWrite(1_000)).toBe(true);

      expect(refusals.every((error) => error instanceof ParleyError && error.code === 'unavailable')).toBe(true);
      expect(writable[0]).toBeInstanceOf(ParleyError);
      expect(writable.at(-1)).toBeUndefined();
      const history = await store.readHistory(conversation, { limit: 10_000 }, { from: 1, to: Number.MAX_SAFE_INTEGER });
      expect(history.map((message) => [message.id, message.seq])).toEqual([...sent.entries()].sort((a, b) => a[1] - b[1]));
      expect(history.map((message) => message.seq)).toEqual(history.map((_, index) => index + 1));
    } finally {
      await store.close();
    }
  });
});
