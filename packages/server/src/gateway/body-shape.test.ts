import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePage } from '@parley/protocol';
import { captureLog, type CapturedLog } from '../testing/captured-log.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('message bodies of a hostile shape', () => {
  let server: RunningApp;
  let log: CapturedLog;
  let alice: TestUser;
  let conversation: string;

  beforeAll(async () => {
    log = captureLog();
    server = await startApp({ maxBodyDepth: 16 }, { logger: log.logger });
    alice = await createUser(server.url, 'alice');
    conversation = await openDirect(server.url, alice, await createUser(server.url, 'bob'));
  });
  afterAll(async () => {
    await server.stop();
  });

  const sendFrame = (id: string, body: string) => `{"type":"send","id":"${id}","conversation":"${conversation}","body":${body}}`;

  it('answers a 10 KB body nested 5,000 levels with bad_request, logs no error, and counts it toward the 4400 close', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const deep = `{"text":"x","n":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const id = randomUUID();
    socket.send(sendFrame(id, deep));
    expect(await socket.next('error', (frame) => frame.ref === id)).toMatchObject({ code: 'bad_request', message: 'body is nested deeper than 16 levels' });
    for (let index = 0; index < 10; index++) socket.send(sendFrame(randomUUID(), deep));
    expect((await socket.closed).code).toBe(4400);
    expect(log.records.filter((record) => record.level >= 50)).toEqual([]);
  });

  it('accepts a body nested exactly maxBodyDepth levels', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send(sendFrame(id, `{"text":"x","n":${'['.repeat(15)}${']'.repeat(15)}}`));
    await socket.next('sent', (frame) => frame.id === id);
    await socket.close();
  });

  it('refuses a body holding a __proto__ key, at any depth, instead of storing it without the key', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const top = randomUUID();
    const inner = randomUUID();
    socket.send(sendFrame(top, '{"text":"x","__proto__":{"admin":true}}'));
    socket.send(sendFrame(inner, '{"text":"x","meta":[{"__proto__":1}]}'));
    for (const id of [top, inner]) {
      expect(await socket.next('error', (frame) => frame.ref === id)).toMatchObject({ code: 'bad_request', message: 'body may not contain the key __proto__' });
    }
    const history = await request<MessagePage>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: alice.token });
    expect(history.body.messages.map((message) => message.id)).not.toContain(top);
    await socket.close();
  });
});
