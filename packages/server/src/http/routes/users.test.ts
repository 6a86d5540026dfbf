import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../testing/running-app.js';
import { createUser, request, type TestUser } from '../../testing/test-api.js';

describe('finding users', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startApp();
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('finds users by username prefix, case-insensitively', async () => {
    const found = await request<{ users: { id: string }[] }>(server.url, 'GET', `/v1/users?query=${bob.username.slice(0, 4).toUpperCase()}`, { token: alice.token });
    expect(found.body.users.map((user) => user.id)).toContain(bob.userId);
  });

  it('looks a user up by id, and answers 404 for an unknown one', async () => {
    const found = await request(server.url, 'GET', `/v1/users/${bob.userId}`, { token: alice.token });
    expect(found.body).toEqual({ id: bob.userId, username: bob.username, displayName: bob.username });
    expect((await request(server.url, 'GET', '/v1/users/u_nobody', { token: alice.token })).status).toBe(404);
    expect((await request(server.url, 'GET', `/v1/users/${bob.userId}`)).status).toBe(401);
  });
});
