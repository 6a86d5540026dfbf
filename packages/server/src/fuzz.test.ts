import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type ServerFrame } from '@parley/protocol';
import { captureLog, type CapturedLog } from './testing/captured-log.js';
import { startApp, type RunningApp } from './testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

const specifiedCodes = new Set<string>(errorCodes.filter((code) => code !== 'internal'));
const frameTypes = ['hello', 'send', 'ack', 'read', 'typing', 'ping', 'launch', ''];

/** Frames that look almost right: a known type with fields of any shape. */
const nearMissFrame = (conversation: string) =>
  fc
    .record(
      {
        type: fc.constantFrom(...frameTypes),
        id: fc.oneof(fc.uuid(), fc.string(), fc.anything()),
        conversation: fc.oneof(fc.constant(conversation), fc.string(), fc.anything()),
        body: fc.oneof(fc.record({ text: fc.string({ unit: 'grapheme' }) }), fc.anything()),
        pos: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        seq: fc.oneof(fc.integer(), fc.anything()),
        active: fc.anything(),
        token: fc.string(),
        protocol: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((frame) => JSON.stringify(frame));

const hostileFrame = (conversation: string) =>
  fc.oneof(
    nearMissFrame(conversation),
    fc.json(),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.jsonValue().map((value) => JSON.stringify(value)),
  );

describe('fuzzing with generated hostile input', () => {
  let server: RunningApp;
  let log: CapturedLog;
  let alice: TestUser;
  let conversation: string;

  beforeAll(async () => {
    // Errors only: a 5xx fails the test with the error the server logged for it.
    log = captureLog('error');
    server = await startApp({ badFramesMax: 1_000_000, rateLimitStrikesMax: 1_000_000 }, { logger: log.logger });
    alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 7,500 generated WebSocket frames with specified errors only, keeps the connection and bounded memory', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileFrame(conversation), { minLength: 50, maxLength: 50 }), async (frames) => {
        for (const frame of frames) socket.send(frame);
        sent += frames.length;
        socket.send({ type: 'ping' });
        await socket.next('pong');
      }),
      { numRuns: 150 },
    );
    socket.send({ type: 'ping' });
    await socket.next('pong');
    expect(sent).toBeGreaterThanOrEqual(7_500);
    const errors = socket.frames.filter((frame): frame is Extract<ServerFrame, { type: 'error' }> => frame.type === 'error');
    expect(errors.length).toBeGreaterThan(1_000);
    for (const error of errors) expect(specifiedCodes).toContain(error.code);
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    await socket.close();
  }, 120_000);

  it('answers 3,000 generated HTTP requests with JSON errors of specified codes, never a 5xx', async () => {
    const paths = ['/v1/accounts', '/v1/sessions', '/v1/me', '/v1/users', '/v1/conversations', `/v1/conversations/${conversation}`,
      `/v1/conversations/${conversation}/messages`, `/v1/conversations/${conversation}/members`, '/v1/devices', '/v1/devices/link-codes', '/v1/me/password'];
    const hostileRequest = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
      // `.` and `..` are dot segments, which the URL resolves away: `/v1/..` is `/`, the web app's page once it is built.
      path: fc.oneof(
        fc.constantFrom(...paths),
        fc
          .string()
          .filter((text) => text !== '.' && text !== '..')
          .map((text) => `/v1/${encodeURIComponent(text)}`),
      ),
      query: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
      body: fc.oneof(fc.json(), fc.string({ maxLength: 200 }), fc.jsonValue().map((value) => JSON.stringify(value))),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
      authorized: fc.boolean(),
    });
    let count = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (input) => {
        count++;
        const search = new URLSearchParams(input.query).toString();
        const headers: Record<string, string> = input.contentType === '' ? {} : { 'content-type': input.contentType };
        if (input.authorized) headers.authorization = `Bearer ${alice.token}`;
        const withBody = input.method !== 'GET';
        const response = await request(server.url, input.method, `${input.path}${search ? `?${search}` : ''}`, {
          headers,
          ...(withBody ? { rawBody: input.body } : {}),
        }).catch((error: Error) => ({ status: 0, body: error.message, headers: new Headers() }));
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status, JSON.stringify(log.records.at(-1))).toBeLessThan(500);
        if (response.status >= 400) {
          const body = response.body as { error?: { code?: string; message?: string } };
          expect(specifiedCodes).toContain(body.error?.code);
          expect(typeof body.error?.message).toBe('string');
        }
      }),
      { numRuns: 3_000 },
    );
    expect(count).toBeGreaterThanOrEqual(3_000);
  }, 180_000);
});
