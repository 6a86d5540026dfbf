import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { natsTestServer, randomSubjectPrefix, type NatsTestServer } from '../testing/nats-test-server.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('a server on the NATS bus while NATS is down', () => {
  let nats: NatsTestServer;
  let server: RunningApp | undefined;
  beforeEach(async () => {
    nats = await natsTestServer();
    await nats.start();
  });
  afterEach(async () => {
    await server?.stop();
    await nats.stop();
  });

  it('keeps delivering between its own sessions, shows their devices online, and shuts down without waiting for NATS', async () => {
    const running = await startApp({ natsUrl: nats.url, natsSubjectPrefix: randomSubjectPrefix() });
    server = running;
    const alice: TestUser = await createUser(running.url, 'alice');
    const bob: TestUser = await createUser(running.url, 'bob');
    const conversation = await openDirect(running.url, alice, bob);
    const aliceSocket = await TestSocket.connect(running.url, alice.token);
    const bobSocket = await TestSocket.connect(running.url, bob.token);

    await nats.stop();
    const id = randomUUID();
    aliceSocket.send({ type: 'send', id, conversation, body: { text: 'while NATS is down' } });
    expect(await bobSocket.next('message')).toMatchObject({ id, body: { text: 'while NATS is down' } });
    const devices = await request<{ devices: { id: string; online: boolean }[] }>(running.url, 'GET', '/v1/devices', { token: bob.token });
    expect(devices.body.devices).toEqual([expect.objectContaining({ id: bob.deviceId, online: true })]);

    await Promise.all([aliceSocket.close(), bobSocket.close()]);
    server = undefined;
    await running.stop();
  });
});
