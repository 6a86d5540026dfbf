import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { runKeys } from '../run-keys.js';
import { flipByteOfBody } from '../testing/flip-byte-of-body.js';
import { startApp } from '../testing/running-app.js';
import { tempDir } from '../testing/temp-dir.js';
import { createUser, openDirect, request } from '../testing/test-api.js';
import { testConfig } from '../testing/test-config.js';
import { TestSocket } from '../testing/test-socket.js';

describe('encryption at rest, through the server', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('creates the master key file with mode 0600 and keeps message text out of every file in the data dir', async () => {
    const server = await startApp({ dataDir: dir.path });
    expect(statSync(join(dir.path, 'master.key')).mode & 0o777).toBe(0o600);
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    const secret = `meet me at the old mill ${randomUUID()}`;
    socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: secret } });
    await socket.next('sent');
    const scan = () => {
      for (const file of readdirSync(dir.path)) {
        expect(readFileSync(join(dir.path, file)).includes(Buffer.from(secret)), file).toBe(false);
      }
    };
    scan();
    await socket.close();
    await server.stop({ keepData: true });
    scan();
  });

  it('keeps push registrations out of the files too', async () => {
    const server = await startApp({ dataDir: dir.path, pushAllowPrivate: true, webhookSecret: 'a-webhook-secret-of-some-length' });
    const alice = await createUser(server.url, 'alice');
    const secretPath = `hook-${randomUUID()}`;
    const registered = await request(server.url, 'PUT', '/v1/devices/current/push', {
      token: alice.token,
      body: { provider: 'webhook', url: `http://127.0.0.1:9/${secretPath}` },
    });
    expect(registered.status).toBeLessThan(300);
    await server.stop({ keepData: true });
    for (const file of readdirSync(dir.path)) {
      expect(readFileSync(join(dir.path, file)).includes(Buffer.from(secretPath)), file).toBe(false);
    }
  });

  it('refuses to start with a wrong master key, and starts again with the right one', async () => {
    const first = await startApp({ dataDir: dir.path });
    const alice = await createUser(first.url, 'alice');
    await first.stop({ keepData: true });
    const keyPath = join(dir.path, 'master.key');
    const rightKey = readFileSync(keyPath);
    writeFileSync(keyPath, randomBytes(32).toString('base64'), { mode: 0o600 });
    await expect(createApp(testConfig({ dataDir: dir.path }))).rejects.toThrow(/master key/);
    writeFileSync(keyPath, rightKey, { mode: 0o600 });
    const again = await startApp({ dataDir: dir.path });
    expect((await request(again.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(200);
    await again.stop({ keepData: true });
  });

  it('keeps old messages readable after `parley keys rotate` and `parley keys reencrypt`', async () => {
    const server = await startApp({ dataDir: dir.path });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'under the first key' } });
    await socket.next('sent');
    await socket.close();
    await server.stop({ keepData: true });

    const printed: string[] = [];
    await runKeys(['rotate', '--data-dir', dir.path], (line) => printed.push(line));
    await runKeys(['reencrypt', '--data-dir', dir.path], (line) => printed.push(line));
    expect(printed).toEqual(['data key 2 is now used for new writes', 're-encrypted 1 rows under the active data key']);

    const again = await startApp({ dataDir: dir.path });
    const history = await request<{ messages: { body: { text: string } }[] }>(again.url, 'GET', `/v1/conversations/${conversation}/messages`, {
      token: bob.token,
    });
    expect(history.body.messages.map((message) => message.body.text)).toEqual(['under the first key']);
    await again.stop({ keepData: true });
  });

  it('`parley keys reencrypt` names and counts a message that cannot be decrypted, moves the others, and exits normally', async () => {
    const server = await startApp({ dataDir: dir.path });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    for (const text of ['one', 'two, soon damaged', 'three']) {
      const id = randomUUID();
      socket.send({ type: 'send', id, conversation, body: { text } });
      await socket.next('sent', (frame) => frame.id === id);
    }
    await socket.close();
    await server.stop({ keepData: true });
    flipByteOfBody(join(dir.path, 'parley.db'), conversation, 2);

    const printed: string[] = [];
    await runKeys(['rotate', '--data-dir', dir.path], (line) => printed.push(line));
    await runKeys(['reencrypt', '--data-dir', dir.path], (line) => printed.push(line));
    expect(printed.slice(1)).toEqual([
      `skipped message ${conversation}#2: it cannot be decrypted (damaged or tampered), so it stays under its old key`,
      're-encrypted 2 rows under the active data key; skipped 1 that cannot be decrypted',
    ]);

    const again = await startApp({ dataDir: dir.path });
    const history = await request<{ messages: { body: { text: string }; unreadable?: boolean }[] }>(
      again.url,
      'GET',
      `/v1/conversations/${conversation}/messages`,
      { token: bob.token },
    );
    expect(history.body.messages.map((message) => [message.body.text, message.unreadable])).toEqual([
      ['one', undefined],
      ['', true],
      ['three', undefined],
    ]);
    await again.stop({ keepData: true });
  });
});
