import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '@parley/server';
import { testConfig } from '../../../server/src/testing/test-config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { profilePath } from '../profile.js';
import { eventually, testContext } from '../testing/test-context.js';
import { chats } from './chats.js';
import { history } from './history.js';
import { listen } from './listen.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { register } from './register.js';
import { send } from './send.js';

const password = 'correct horse battery staple';
let app: App;
let url: string;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parley-cli-test-'));
  app = await createApp(testConfig({ dataDir: join(directory, 'data') }));
  url = await app.listen();
});
afterAll(async () => {
  await app.close();
  await rm(directory, { recursive: true, force: true });
});

/** Two people on one machine, as two profiles in one config dir. */
async function aliceAndBob(prefix: string) {
  const configDir = await mkdtemp(join(directory, 'config-'));
  const alice = testContext(configDir, `${prefix}-alice`, url);
  const bob = testContext(configDir, `${prefix}-bob`, url);
  await register(alice, `${prefix}_alice`, { password, displayName: 'Alice' });
  await register(bob, `${prefix}_bob`, { password, displayName: 'Bob' });
  return { alice, bob, configDir };
}

describe('the parley commands', () => {
  it('register saves a profile readable by its owner only, then send and history show the message', async () => {
    const { alice, bob } = await aliceAndBob('h');
    expect(alice.printed[0]).toMatch(/^registered @h_alice on http:\/\/127\.0\.0\.1:\d+ and logged in/);
    expect((await stat(profilePath(alice))).mode & 0o777).toBe(0o600);

    const sent = await send(alice, 'h_bob', 'hello from the terminal');
    expect(sent.seq).toBe(1);
    expect(alice.printed.at(-1)).toBe('sent to @h_bob: seq 1');
    await send(bob, 'H_ALICE', 'hi back');

    await history(bob, 'h_alice');
    expect(bob.printed.slice(-2)).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] h_alice: hello from the terminal$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] h_bob: hi back$/),
    ]);
    await history(bob, 'h_alice', { limit: 1 });
    expect(bob.printed.at(-1)).toMatch(/h_bob: hi back$/);
  });

  it('listen prints messages that arrive, with the sender name, until stopped', async () => {
    const { alice, bob } = await aliceAndBob('l');
    await send(alice, 'l_bob', 'sent while bob was away');
    const stop = new AbortController();
    const listening = listen(bob, { signal: stop.signal });
    await eventually(() => bob.printed.some((line) => line.endsWith('l_alice: sent while bob was away')), 'the waiting message is printed');
    await send(alice, 'l_bob', 'sent while bob listens');
    await eventually(() => bob.printed.some((line) => line.endsWith('l_alice: sent while bob listens')), 'the live message is printed');
    stop.abort();
    await listening;

    // The next listen starts where this one stopped: nothing is printed twice.
    const again = new AbortController();
    const before = bob.printed.length;
    const notesBefore = bob.noted.length;
    const relistening = listen(bob, { signal: again.signal });
    const synced = () => bob.noted.slice(notesBefore).some((line) => line.startsWith('listening as @l_bob'));
    await eventually(synced, 'the second listen is synced');
    again.abort();
    await relistening;
    // Presence lines may come again; messages may not.
    expect(bob.printed.slice(before).filter((line) => line.startsWith('['))).toEqual([]);
  });

  it('chats lists conversations with the peer and unread count', async () => {
    const { alice, bob } = await aliceAndBob('c');
    await send(alice, 'c_bob', 'one');
    await send(alice, 'c_bob', 'two');
    await chats(bob);
    expect(bob.printed.at(-1)).toMatch(/^Alice \(@c_alice\)\s+2 unread\s+last seq 2$/);
    // "read" would say the peer read the sender's messages, which chats does not know.
    await chats(alice);
    expect(alice.printed.at(-1)).toMatch(/^Bob \(@c_bob\)\s+no unread\s+last seq 2$/);
  });

  it('commands that need a login say how to log in, and logout forgets the profile', async () => {
    const { alice } = await aliceAndBob('o');
    await logout(alice);
    const failure = send(alice, 'o_bob', 'hi');
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow('not logged in: run parley --profile o-alice login <username>');
    await login(alice, 'o_alice', { password });
    expect(alice.printed.at(-1)).toMatch(/^logged in as @o_alice/);
  });

  it('reports a wrong password and an unknown user clearly', async () => {
    const { alice } = await aliceAndBob('e');
    const wrong = await login(alice, 'e_alice', { password: 'not the password' }).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(CliError);
    expect(describeError(wrong)).toBe('wrong username or password');
    await expect(send(alice, 'nobody_here', 'hi')).rejects.toThrow('no user named "nobody_here"');
  });
});
