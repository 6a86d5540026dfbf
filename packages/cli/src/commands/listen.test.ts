import { createNodeClient, type ParleyClient } from '@parley/client/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../profile.js';
import { eventually, type TestContext } from '../testing/test-context.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { groupCreate } from './group.js';
import { listen } from './listen.js';
import { read } from './read.js';
import { send } from './send.js';

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** The SDK client of a person's profile: someone using another app. */
async function appOf(person: TestContext): Promise<ParleyClient> {
  const profile = await loadProfile(person);
  if (!profile) throw new Error('not logged in');
  const client = createNodeClient({ url: profile.server, token: profile.token });
  await client.connect();
  return client;
}

/** Runs `parley listen` for `person` until the returned function is called. */
async function listening(person: TestContext): Promise<() => Promise<void>> {
  const stop = new AbortController();
  const running = listen(person, { signal: stop.signal });
  await eventually(() => person.noted.some((line) => line.startsWith('listening as')), 'listen is synced');
  return async () => {
    stop.abort();
    await running;
  };
}

const printed = (person: TestContext, line: string | RegExp) => () =>
  person.printed.some((candidate) => (typeof line === 'string' ? candidate === line : line.test(candidate)));

describe('parley listen', () => {
  it('ticks the user’s own messages as receipts arrive, and shows typing and presence', async () => {
    const [alice, bob] = await server.people('t', ['alice', 'bob']);
    const stop = await listening(alice!);
    const { conversation, seq } = await send(alice!, 't_bob', 'are you there?');
    await eventually(printed(alice!, /^\[\d\d:\d\d:\d\d\] t_alice: are you there\? ✓$/), 'the message shows with one tick');

    // Presence goes to those who share a direct conversation, which the message made.
    const bobApp = await appOf(bob!);
    await eventually(printed(alice!, 't_bob is online'), 'bob shows as online');
    await eventually(printed(alice!, '✓✓ delivered: "are you there?"'), 'it shows as delivered');
    await read(bob!, 't_alice');
    expect(bob!.printed.at(-1)).toBe(`read 1 with @t_alice (up to seq ${seq})`);
    await eventually(printed(alice!, '✓✓ read: "are you there?"'), 'it shows as read');
    await read(bob!, 't_alice');
    expect(bob!.printed.at(-1)).toBe('nothing unread with @t_alice');

    bobApp.setTyping(conversation, true);
    await eventually(printed(alice!, 't_bob is typing…'), 'bob shows as typing');
    await bobApp.close();
    await stop();
    expect(alice!.printed.filter((line) => line.includes('are you there?'))).toEqual([
      expect.stringMatching(/t_alice: are you there\? ✓$/),
      '✓✓ delivered: "are you there?"',
      '✓✓ read: "are you there?"',
    ]);
  });

  it('says in a group when everyone has a message and when everyone has read it, naming them', async () => {
    const [alice, bob, carol] = await server.people('w', ['alice', 'bob', 'carol']);
    const group = await groupCreate(alice!, 'Trio', ['w_bob', 'w_carol']);
    const stop = await listening(alice!);
    const { seq } = await send(alice!, 'Trio', 'hello trio', { group: true });
    await eventually(printed(alice!, /w_alice in Trio: hello trio ✓$/), 'the message shows with one tick');

    const bobApp = await appOf(bob!);
    const carolApp = await appOf(carol!);
    await eventually(printed(alice!, /^✓✓ delivered to @w_(bob|carol), @w_(bob|carol): "hello trio"$/), 'both have it');
    bobApp.markRead(group.id, seq);
    carolApp.markRead(group.id, seq);
    await eventually(printed(alice!, /^✓✓ read by @w_(bob|carol), @w_(bob|carol): "hello trio"$/), 'both read it');
    await Promise.all([bobApp.close(), carolApp.close()]);
    await stop();
    // Listening watches no group: the stream tells only when everyone has it, not who has it on the way.
    expect(alice!.printed.filter((line) => line.includes('hello trio')).map((line) => line.replace(/@w_(bob|carol)/g, '@x'))).toEqual([
      expect.stringMatching(/w_alice in Trio: hello trio ✓$/),
      '✓✓ delivered to @x, @x: "hello trio"',
      '✓✓ read by @x, @x: "hello trio"',
    ]);
  });
});
