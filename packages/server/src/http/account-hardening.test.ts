import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, logInAgain, request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const password = 'correct horse battery staple';

describe('account hardening', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('answers an unknown user and a wrong password alike', async () => {
    server = await startApp();
    const alice = await createUser(server.url, 'alice');
    const wrongPassword = await request(server.url, 'POST', '/v1/sessions', { body: { username: alice.username, password: 'not the password' } });
    const unknownUser = await request(server.url, 'POST', '/v1/sessions', { body: { username: 'nobody_here', password: 'not the password' } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it('makes each failed login past the free ones wait twice as long, per account', async () => {
    const clock = new FakeClock(Date.now());
    const running = await startApp({ loginFailuresFree: 3 }, { clock });
    server = running;
    const alice = await createUser(running.url, 'alice');
    const attempt = (guess: string) => request(running.url, 'POST', '/v1/sessions', { body: { username: alice.username, password: guess } });
    for (let index = 0; index < 3; index++) expect((await attempt('wrong guess!')).status).toBe(401);
    const blocked = await attempt(password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    expect((await attempt('wrong guess!')).status).toBe(401);
    const longer = await attempt(password);
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');
    clock.advance(2_000);
    expect((await attempt(password)).status).toBe(201);
  });

  it('revokes the other devices when the password changes', async () => {
    server = await startApp();
    const alice = await createUser(server.url, 'alice');
    const laptop = await logInAgain(server.url, alice.username);
    const laptopSocket = await TestSocket.connect(server.url, laptop.token);
    const wrong = await request(server.url, 'PUT', '/v1/me/password', {
      token: alice.token,
      body: { currentPassword: 'not my password', newPassword: 'a brand new password' },
    });
    expect(wrong.status).toBe(403);
    const changed = await request(server.url, 'PUT', '/v1/me/password', {
      token: alice.token,
      body: { currentPassword: password, newPassword: 'a brand new password' },
    });
    expect(changed.status).toBe(204);
    expect((await laptopSocket.closed).code).toBe(4403);
    expect((await request(server.url, 'GET', '/v1/me', { token: laptop.token })).status).toBe(401);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(200);
    const oldPassword = await request(server.url, 'POST', '/v1/sessions', { body: { username: alice.username, password } });
    expect(oldPassword.status).toBe(401);
  });

  it('expires a token unused for the idle window', async () => {
    const clock = new FakeClock(Date.now());
    server = await startApp({ tokenIdleExpiryMs: 90 * 24 * 60 * 60 * 1000 }, { clock });
    const alice = await createUser(server.url, 'alice');
    clock.advance(89 * 24 * 60 * 60 * 1000);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(200);
    clock.advance(89 * 24 * 60 * 60 * 1000);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(200);
    clock.advance(91 * 24 * 60 * 60 * 1000);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(401);
  });

  it('sends security headers and answers CORS only for allowed origins', async () => {
    server = await startApp({ allowedOrigins: ['https://chat.example.org'] });
    const allowed = await request(server.url, 'GET', '/healthz', { headers: { origin: 'https://chat.example.org' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://chat.example.org');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('x-frame-options')).toBeTruthy();
    expect(allowed.headers.get('strict-transport-security')).toBeNull();
    const foreign = await request(server.url, 'GET', '/healthz', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never puts a stack trace in an error response', async () => {
    server = await startApp();
    const response = await request(server.url, 'POST', '/v1/accounts', { rawBody: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(Object.keys(response.body as object)).toEqual(['error']);
  });
});
