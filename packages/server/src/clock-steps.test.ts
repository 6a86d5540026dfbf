import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceView, MessagePage } from '@parley/protocol';
import { FakeClock } from './clock/fake-clock.js';
import { startApp, type RunningApp } from './testing/running-app.js';
import { createUser, openDirect, request } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

const day = 24 * 60 * 60 * 1000;

describe('a wall clock that is stepped while the server runs', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('keeps message times in a conversation from going backwards when the clock steps back', async () => {
    const clock = new FakeClock(Date.now());
    server = await startApp({}, { clock });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    const send = async (text: string) => {
      const id = randomUUID();
      socket.send({ type: 'send', id, conversation, body: { text } });
      return socket.next('sent', (frame) => frame.id === id);
    };
    const before = await send('before the step');
    clock.step(-60 * 60 * 1000);
    const after = await send('after the step');
    expect(after.seq).toBe(before.seq + 1);
    expect(after.at).toBeGreaterThanOrEqual(before.at);
    const history = await request<MessagePage>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: bob.token });
    const times = history.body.messages.map((message) => message.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await socket.close();
  });

  it('revokes no device when a step forward passes the idle expiry, and still expires idle devices on a clock that ran there', async () => {
    const clock = new FakeClock(Date.now());
    server = await startApp({ tokenIdleExpiryMs: 90 * day }, { clock });
    const alice = await createUser(server.url, 'alice');
    clock.step(365 * day);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(200);
    const socket = await TestSocket.connect(server.url, alice.token);
    await socket.close();
    clock.step(-365 * day);
    const devices = await request<{ devices: DeviceView[] }>(server.url, 'GET', '/v1/devices', { token: alice.token });
    expect(devices.body.devices.map((device) => device.id)).toEqual([alice.deviceId]);

    // Time that really passes (monotonic and wall clock together) still expires an idle device.
    const idle = await createUser(server.url, 'idle');
    clock.advance(91 * day);
    expect((await request(server.url, 'GET', '/v1/me', { token: idle.token })).status).toBe(401);
  });
});
