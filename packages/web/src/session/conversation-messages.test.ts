import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '@parley/client/node';
import { startTestServer, type TestServer } from '../../../client/src/testing/test-server.js';
import { ConversationMessages, historyPageSize } from './conversation-messages.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('ConversationMessages', () => {
  it('loads the page of history that holds a seq, and marks the seqs the server withholds as absent', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const direct = await alice.api.openDirect(bob.session.user.id);
    const aliceClient = createNodeClient({ url: server.url, token: alice.session.token, receiveEvents: false });
    const bobClient = createNodeClient({ url: server.url, token: bob.session.token, receiveEvents: false });
    await Promise.all([aliceClient.connect(), bobClient.connect()]);
    try {
      for (let index = 1; index <= historyPageSize + 10; index += 1) await aliceClient.send(direct.id, { text: `a${index}` });
      // Blocked, bob's next messages are answered `sent` but never shown to alice.
      await alice.api.setBlocked(bob.session.user.id, true);
      const withheld = await bobClient.send(direct.id, { text: 'withheld' });
      const last = await aliceClient.send(direct.id, { text: 'last' });

      const messages = new ConversationMessages();
      const newest = await messages.loadPageEndingAt(alice.api, direct.id, last.seq);
      expect(messages.get(last.seq)?.body.text).toBe('last');
      expect(messages.isAbsent(withheld.seq)).toBe(true);
      // A page is the newest `historyPageSize` messages up to its end: 112 and 110 back to 12.
      expect(messages.known(12)).toBe(true);
      expect(messages.known(11)).toBe(false);
      expect(newest.map((message) => message.seq)).not.toContain(withheld.seq);

      await messages.loadPageEndingAt(alice.api, direct.id, 1);
      expect(messages.get(1)?.body.text).toBe('a1');
      expect(messages.get(historyPageSize)?.body.text).toBe(`a${historyPageSize}`);
    } finally {
      await Promise.all([aliceClient.close(), bobClient.close()]);
    }
  });
});
