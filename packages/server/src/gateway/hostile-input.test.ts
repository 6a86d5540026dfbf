import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const limits = { maxFrameBytes: 16 * 1024, maxBodyBytes: 4 * 1024, maxTextLength: 1_000, maxHttpBodyBytes: 8 * 1024 };

describe('hostile and broken input over WebSocket', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversation: string;

  beforeAll(async () => {
    server = await startApp(limits);
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
  });
  afterAll(async () => {
    // Whatever came before, the server still carries a message end to end.
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation, body: { text: 'still up' } });
    expect((await receiver.next('message', (frame) => frame.id === id)).body.text).toBe('still up');
    await Promise.all([sender.close(), receiver.close()]);
    await server.stop();
  });

  const badFrames: [string, string][] = [
    ['text that is not JSON', 'hello?'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['an object without a type', '{"id":"x"}'],
    ['an unknown frame type', '{"type":"launch_missiles"}'],
    ['a send whose id is a number', `{"type":"send","id":7,"conversation":"c_x","body":{"text":"hi"}}`],
    ['a send whose id is not a UUID', `{"type":"send","id":"1234","conversation":"c_x","body":{"text":"hi"}}`],
    ['a send without a body', `{"type":"send","id":"${randomUUID()}","conversation":"c_x"}`],
    ['a send whose text is not a string', `{"type":"send","id":"${randomUUID()}","conversation":"c_x","body":{"text":{"a":1}}}`],
    ['a send whose body is a string', `{"type":"send","id":"${randomUUID()}","conversation":"c_x","body":"hi"}`],
    ['a conversation id that looks like SQL', `{"type":"send","id":"${randomUUID()}","conversation":"c_1' OR '1'='1","body":{"text":"x"}}`],
    ['an ack with a negative pos', '{"type":"ack","pos":-1}'],
    ['an ack with a fractional pos', '{"type":"ack","pos":1.5}'],
    ['an ack with a string pos', '{"type":"ack","pos":"1"}'],
    ['a typing frame without active', '{"type":"typing","conversation":"c_x"}'],
  ];

  it.each(badFrames)('answers %s with bad_request and keeps the connection open', async (_name, text) => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send(text);
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
    await socket.close();
  });

  it('answers a binary frame with bad_request', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.socket.send(Buffer.from([1, 2, 3]));
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request' });
    await socket.close();
  });

  it('names the send it refuses in ref', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send(`{"type":"send","id":"not-a-uuid","conversation":"${conversation}","body":{"text":"x"}}`);
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request', ref: 'not-a-uuid' });
    await socket.close();
  });

  it('answers text over maxTextLength with too_large', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: 'x'.repeat(limits.maxTextLength + 1) } });
    expect(await socket.next('error')).toMatchObject({ code: 'too_large', ref: id });
    await socket.close();
  });

  it('answers a body over maxBodyBytes with too_large', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: 'x', attachment: 'y'.repeat(limits.maxBodyBytes) } });
    expect(await socket.next('error')).toMatchObject({ code: 'too_large', ref: id });
    await socket.close();
  });

  it('answers a body nested deeper than maxBodyDepth with bad_request, before its size is looked at', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    const nested = '{"a":'.repeat(1_500) + '1' + '}'.repeat(1_500);
    socket.send(`{"type":"send","id":"${id}","conversation":"${conversation}","body":{"text":"x","deep":${nested}}}`);
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request', ref: id, message: 'body is nested deeper than 64 levels' });
    await socket.close();
  });

  it('answers a conversation that does not exist with not_found', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation: 'c_doesnotexist', body: { text: 'x' } });
    expect(await socket.next('error')).toMatchObject({ code: 'not_found', ref: id });
    await socket.close();
  });

  it('refuses an ack beyond what was sent', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send({ type: 'ack', pos: 1_000_000 });
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request' });
    await socket.close();
  });

  it('refuses a second hello without closing', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send({ type: 'hello', token: alice.token, protocol: 1 });
    expect(await socket.next('error')).toMatchObject({ code: 'bad_request' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
    await socket.close();
  });

  it('stores SQL-looking and unicode edge-case text exactly as sent', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const texts = [
      "'; DROP TABLE messages; --",
      'Robert"); DELETE FROM users WHERE ("1"="1',
      '\u0000 nul and \u001f control',
      '\ud83d\ude00 emoji, \u200b zero width, \u202e right-to-left',
      'lone surrogate \ud800 here',
      'combining e\u0301 and \ufeff BOM',
    ];
    for (const text of texts) socket.send({ type: 'send', id: randomUUID(), conversation, body: { text } });
    for (let index = 0; index < texts.length; index++) await socket.next('sent');
    const history = await request<{ messages: { body: { text: string } }[] }>(
      server.url,
      'GET',
      `/v1/conversations/${conversation}/messages?limit=${texts.length}`,
      { token: bob.token },
    );
    expect(history.body.messages.map((message) => message.body.text)).toEqual(texts);
    await socket.close();
  });

  it('closes with 1009 on a frame over maxFrameBytes', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send(JSON.stringify({ type: 'send', id: randomUUID(), conversation, body: { text: 'x'.repeat(limits.maxFrameBytes) } }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('closes with 4400 when the first frame is not hello', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'sneaky' } });
    expect((await socket.closed).code).toBe(4400);
    expect(socket.frames[0]).toMatchObject({ type: 'error', code: 'bad_request' });
  });

  it('closes with 4400 when the first frame is garbage', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send('\u0000\u0001garbage');
    expect((await socket.closed).code).toBe(4400);
  });

  it('closes with 4400 on a hello of another protocol version', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'hello', token: alice.token, protocol: 2 } as unknown as string);
    expect((await socket.closed).code).toBe(4400);
  });

  it('closes with 4400 a client that keeps sending bad frames', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    for (let index = 0; index < 20; index++) socket.send('not json');
    expect((await socket.closed).code).toBe(4400);
  });

  it('closes with 4401 on a hello with an empty or absurd token', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'hello', token: 'x'.repeat(400), protocol: 1 });
    expect((await socket.closed).code).toBe(4401);
  });

  it('refuses a WebSocket upgrade on another path with 404', async () => {
    const refused = await TestSocket.open(server.url, {}, '/v1/elsewhere').catch((error: Error) => error);
    expect(String(refused)).toContain('404');
  });
});

describe('hostile and broken input over HTTP', () => {
  let server: RunningApp;
  let alice: TestUser;

  beforeAll(async () => {
    server = await startApp(limits);
    alice = await createUser(server.url, 'alice');
  });
  afterAll(async () => {
    const health = await request(server.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    await server.stop();
  });

  it('answers a body that is not JSON with 400 bad_request', async () => {
    const response = await request(server.url, 'POST', '/v1/accounts', {
      rawBody: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('answers a body over maxHttpBodyBytes with 413 too_large', async () => {
    const response = await request(server.url, 'POST', '/v1/accounts', {
      body: { username: 'big', password: 'x'.repeat(limits.maxHttpBodyBytes) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'too_large' } });
  });

  it('answers missing and mistyped fields with 400 bad_request', async () => {
    for (const body of [{}, { username: 'ab', password: 'long enough password' }, { username: 42, password: [] }]) {
      const response = await request(server.url, 'POST', '/v1/accounts', { body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'bad_request' } });
    }
  });

  it('answers a body of another content type with a 4xx JSON error', async () => {
    const response = await request(server.url, 'POST', '/v1/accounts', { rawBody: 'username=x', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('answers a prototype-polluting body with 400', async () => {
    const response = await request(server.url, 'POST', '/v1/accounts', {
      rawBody: '{"username":"proto","password":"long enough password","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });

  it('answers a missing or bad bearer token with 401 unauthorized', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${'x'.repeat(600)}` }]) {
      const response = await request(server.url, 'GET', '/v1/me', { headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    const response = await request(server.url, 'GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers bad history parameters with 400', async () => {
    for (const query of ['limit=abc', 'limit=0', 'before=-1', 'before=1&after=2']) {
      const response = await request(server.url, 'GET', `/v1/conversations/c_x/messages?${query}`, { token: alice.token });
      expect(response.status).toBe(400);
    }
  });

  it('treats a SQL-looking user search as plain text', async () => {
    const response = await request<{ users: unknown[] }>(server.url, 'GET', `/v1/users?query=${encodeURIComponent("%' OR 1=1 --")}`, {
      token: alice.token,
    });
    expect(response.status).toBe(200);
    expect(response.body.users).toEqual([]);
  });

  it('refuses oversized request headers', async () => {
    const response = await request(server.url, 'GET', '/healthz', { headers: { 'x-padding': 'p'.repeat(16 * 1024) } });
    expect(response.status).toBe(431);
  });
});

describe('abuse limits', () => {
  it('closes with 4408 a connection that never says hello', async () => {
    const clock = new FakeClock();
    const server = await startApp({}, { clock });
    const socket = await TestSocket.open(server.url);
    clock.advance(10_000);
    expect((await socket.closed).code).toBe(4408);
    await server.stop();
  });

  it('answers sends past the rate limit with rate_limited and retryAfterMs, and closes an abuser with 4429', async () => {
    const server = await startApp({ sendRatePerSecond: 1, sendBurst: 2, rateLimitStrikesMax: 3 });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    for (let index = 0; index < 3; index++) socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'spam' } });
    const limited = await socket.next('error');
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    for (let index = 0; index < 5; index++) socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'spam' } });
    expect((await socket.closed).code).toBe(4429);
    await server.stop();
  });

  it('answers registrations past the per-IP limit with 429 and Retry-After', async () => {
    const server = await startApp({ authRatePerMinute: 1, authBurst: 2 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 3; index++) {
      const response = await request(node, 'POST', '/v1/sessions', { body: { username: 'nobody', password: 'wrong password!' } });
      statuses.push(response.status);
      retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await server.stop();
  });
});
