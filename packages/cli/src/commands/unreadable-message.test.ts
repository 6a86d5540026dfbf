import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '@parley/server';
// Test scaffolding is not part of the server's package: tests reach it by path.
import { flipByteOfBody } from '../../../server/src/testing/flip-byte-of-body.js';
import { testConfig } from '../../../server/src/testing/test-config.js';
import { CliProcess, runCli } from '../testing/cli-process.js';
import { testContext } from '../testing/test-context.js';
import { register } from './register.js';
import { send } from './send.js';

describe('a message whose stored body the server cannot read', () => {
  let directory: string | undefined;
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('is printed as "(unreadable message)" by history and listen, between the messages around it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'parley-cli-unreadable-'));
    const dataDir = join(directory, 'data');
    app = await createApp(testConfig({ dataDir }));
    const url = await app.listen();
    const configDir = join(directory, 'config');
    const alice = testContext(configDir, 'alice', url);
    const bob = testContext(configDir, 'bob', url);
    await register(alice, 'u_alice', { password: 'correct horse battery staple' });
    await register(bob, 'u_bob', { password: 'correct horse battery staple' });
    const sent = [];
    for (const text of ['one', 'two', 'three']) sent.push(await send(alice, 'u_bob', text));
    await app.close();
    flipByteOfBody(join(dataDir, 'parley.db'), sent[1]!.conversation, sent[1]!.seq);
    // The same port, since the profiles remember the server's address.
    app = await createApp(testConfig({ dataDir, port: Number(new URL(url).port) }));
    await app.listen();

    const history = await runCli(['--profile', 'bob', 'history', 'u_alice'], { configDir });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/u_alice: one\n.*u_alice: \(unreadable message\)\n.*u_alice: three\n/);

    const listen = new CliProcess(['--profile', 'bob', 'listen'], { configDir });
    await listen.waitFor(/three/);
    await listen.stop();
    expect(listen.stdout).toMatch(/u_alice: one\n.*u_alice: \(unreadable message\)\n.*u_alice: three\n/);
  });
});
