import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../testing/running-app.js';
import { createUser, openDirect } from '../../testing/test-api.js';
import { TestSocket } from '../../testing/test-socket.js';

describe('GET /metrics', () => {
  it('exposes connections, accepted messages and refused frames in Prometheus text', async () => {
    const server = await startApp();
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'counted' } });
    await socket.next('sent');
    socket.send('not json');
    await socket.next('error');

    const response = await fetch(`${server.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/^parley_connections 1$/m);
    expect(text).toMatch(/^parley_messages_accepted_total 1$/m);
    expect(text).toMatch(/^parley_frames_refused_total\{code="bad_request"\} 1$/m);
    await socket.close();
    await server.stop();
  });
});

describe('keeping /metrics private', () => {
  it('asks for the bearer token when --metrics-token is set', async () => {
    const server = await startApp({ metricsToken: 'a-long-metrics-secret' });
    const without = await fetch(`${server.url}/metrics`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer a-long-metrics-secreT' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer a-long-metrics-secret' } });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/^parley_connections 0$/m);
    await server.stop();
  });

  it('serves /metrics only on its own address when --metrics-port is set', async () => {
    const server = await startApp({ metricsPort: 0, metricsToken: 'a-long-metrics-secret' });
    const metricsUrl = server.app.metricsUrl();
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl!)).status).toBe(401);
    const answer = await fetch(metricsUrl!, { headers: { authorization: 'Bearer a-long-metrics-secret' } });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toMatch(/^parley_connections 0$/m);
    expect((await fetch(metricsUrl!.replace('/metrics', '/v1/me'))).status).toBe(404);
    await server.stop();
  });
});
