import { randomUUID } from 'node:crypto';
import { defaultLimits } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('the text of a message, with the default limits', () => {
  let server: RunningApp;
  let alice: TestUser;
  let conversation: string;

  beforeAll(async () => {
    server = await startApp();
    alice = await createUser(server.url, 'alice');
    conversation = await openDirect(server.url, alice, await createUser(server.url, 'bob'));
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([
    ['empty', ''],
    ['spaces only', '   '],
    ['white space of every kind', ' \t\n\r\u00a0\u2028\u3000'],
  ])('refuses a text that is %s with bad_request', async (_what, text) => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text } });
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request', ref: id });
    await socket.close();
  });

  it.each([
    ['plain letters', 'x'],
    ['characters JSON escapes to six bytes', '\u0001'],
    ['three-byte characters', '語'],
  ])('accepts a text of exactly maxTextLength %s', async (_what, character) => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: character.repeat(defaultLimits.maxTextLength) } });
    expect(await socket.next('sent')).toMatchObject({ id });
    await socket.close();
  });
});
