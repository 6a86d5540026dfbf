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
