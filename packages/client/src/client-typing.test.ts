import { FakeClock } from '@parley/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool } from './testing/client-pool.js';
import { faultyWebSockets } from './testing/faulty-web-socket.js';
import { nextEvent } from './testing/next-event.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let server: TestServer;
const pool = new ClientPool(() => server.url);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await pool.closeAll();
});

describe('typing indicators', () => {
  it('expires an indicator at the receiver when the typist stops refreshing it', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const clock = new FakeClock(Date.now());
    const aliceClient = pool.clientOf(alice);
    const bobClient = pool.clientOf(bob, { clock });
    await Promise.all([aliceClient.connect(), bobClient.connect()]);

    const started = nextEvent(bobClient, 'typing', (event) => event.active);
    expect(aliceClient.setTyping(conversation, true)).toBe(true);
    await started;
    expect(bobClient.typingIn(conversation)).toEqual([alice.session.user.id]);

    const stopped = nextEvent(bobClient, 'typing', (event) => !event.active);
    clock.advance(5_999);
    expect(bobClient.typingIn(conversation)).toEqual([alice.session.user.id]);
    clock.advance(1);
    expect(await stopped).toEqual({ type: 'typing', conversation, user: alice.session.user.id, active: false });
    expect(bobClient.typingIn(conversation)).toEqual([]);
  });

  it('ends the indicator at the receiver when the typist’s message arrives', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const aliceClient = pool.clientOf(alice);
    const bobClient = pool.clientOf(bob);
    await Promise.all([aliceClient.connect(), bobClient.connect()]);
    const started = nextEvent(bobClient, 'typing', (event) => event.active);
    aliceClient.setTyping(conversation, true);
    await started;
    const stopped = nextEvent(bobClient, 'typing', (event) => !event.active);
    await aliceClient.send(conversation, { text: 'done typing' });
    await stopped;
    expect(bobClient.typingIn(conversation)).toEqual([]);
  });

  it('writes one typing frame per 3 s however often the app reports a keystroke', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const written: boolean[] = [];
    const observed = faultyWebSockets({
      dropOutgoing(frame) {
        if (frame.type === 'typing') written.push(frame.active === true);
        return false;
      },
    });
    const clock = new FakeClock(Date.now());
    const aliceClient = pool.clientOf(alice, { clock, WebSocket: observed.WebSocket });
    await aliceClient.connect();
    for (let keystroke = 0; keystroke < 20; keystroke++) {
      aliceClient.setTyping(conversation, true);
      clock.advance(100);
    }
    expect(written).toEqual([true]);
    clock.advance(1_000);
    aliceClient.setTyping(conversation, true);
    aliceClient.setTyping(conversation, false);
    expect(written).toEqual([true, true, false]);
  });
});
