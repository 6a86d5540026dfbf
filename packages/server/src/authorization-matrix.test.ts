import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '@parley/protocol';
import { startApp, type RunningApp } from './testing/running-app.js';
import { createUser, logInAgain, request, type TestUser } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

type Actor = 'outsider' | 'removed member' | 'revoked device' | 'non-admin';

interface Route {
  method: string;
  path: (group: string, target: TestUser) => string;
  body?: (target: TestUser) => unknown;
}

const routes: Record<string, Route> = {
  'read details': { method: 'GET', path: (group) => `/v1/conversations/${group}` },
  rename: { method: 'PATCH', path: (group) => `/v1/conversations/${group}`, body: () => ({ name: 'taken over' }) },
  'add members': { method: 'POST', path: (group) => `/v1/conversations/${group}/members`, body: (target) => ({ members: [target.userId] }) },
  'remove a member': { method: 'DELETE', path: (group, target) => `/v1/conversations/${group}/members/${target.userId}` },
  'grant admin': { method: 'PUT', path: (group, target) => `/v1/conversations/${group}/admins/${target.userId}` },
  'revoke admin': { method: 'DELETE', path: (group, target) => `/v1/conversations/${group}/admins/${target.userId}` },
  'read history': { method: 'GET', path: (group) => `/v1/conversations/${group}/messages` },
  mute: { method: 'PUT', path: (group) => `/v1/conversations/${group}/mute`, body: () => ({ until: null }) },
};

/** The specified answer of each actor on each route: [status, code], or 'allowed'. */
const expected: Record<Actor, Record<keyof typeof routes, [number, ErrorCode] | 'allowed'>> = {
  outsider: {
    'read details': [404, 'not_found'], rename: [404, 'not_found'], 'add members': [404, 'not_found'], 'remove a member': [404, 'not_found'],
    'grant admin': [404, 'not_found'], 'revoke admin': [404, 'not_found'], 'read history': [404, 'not_found'], mute: [404, 'not_found'],
  },
  'removed member': {
    'read details': [403, 'not_member'], rename: [403, 'not_member'], 'add members': [403, 'not_member'], 'remove a member': [403, 'not_member'],
    'grant admin': [403, 'not_member'], 'revoke admin': [403, 'not_member'], 'read history': 'allowed', mute: [403, 'not_member'],
  },
  'revoked device': {
    'read details': [401, 'unauthorized'], rename: [401, 'unauthorized'], 'add members': [401, 'unauthorized'], 'remove a member': [401, 'unauthorized'],
    'grant admin': [401, 'unauthorized'], 'revoke admin': [401, 'unauthorized'], 'read history': [401, 'unauthorized'],
    mute: [401, 'unauthorized'],
  },
  'non-admin': {
    'read details': 'allowed', rename: [403, 'forbidden'], 'add members': [403, 'forbidden'], 'remove a member': [403, 'forbidden'],
    'grant admin': [403, 'forbidden'], 'revoke admin': [403, 'forbidden'], 'read history': 'allowed', mute: 'allowed',
  },
};

/** The specified answer of each actor to each frame about the group; a revoked device cannot get past hello. */
const expectedFrames: Record<Exclude<Actor, 'revoked device'>, Record<'send' | 'read' | 'typing', ErrorCode | 'allowed'>> = {
  outsider: { send: 'not_found', read: 'not_found', typing: 'not_found' },
  'removed member': { send: 'not_member', read: 'not_member', typing: 'not_member' },
  'non-admin': { send: 'allowed', read: 'allowed', typing: 'allowed' },
};

describe('the authorization matrix', () => {
  let server: RunningApp;
  let group: string;
  let target: TestUser;
  const actors = {} as Record<Actor, TestUser>;

  beforeAll(async () => {
    server = await startApp();
    const admin = await createUser(server.url, 'admin');
    target = await createUser(server.url, 'target');
    actors.outsider = await createUser(server.url, 'outsider');
    actors['non-admin'] = await createUser(server.url, 'member');
    actors['removed member'] = await createUser(server.url, 'removed');
    const revokedOwner = await createUser(server.url, 'revoked');
    actors['revoked device'] = await logInAgain(server.url, revokedOwner.username);
    const created = await request<{ id: string }>(server.url, 'POST', '/v1/conversations', {
      token: admin.token,
      body: { type: 'group', name: 'g', members: [target, actors['non-admin'], actors['removed member'], revokedOwner].map((user) => user.userId) },
    });
    group = created.body.id;
    await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${actors['removed member'].userId}`, { token: admin.token });
    await request(server.url, 'DELETE', `/v1/devices/${actors['revoked device'].deviceId}`, { token: revokedOwner.token });
  });
  afterAll(async () => {
    await server.stop();
  });

  for (const [actor, answers] of Object.entries(expected) as [Actor, (typeof expected)[Actor]][]) {
    for (const [name, route] of Object.entries(routes)) {
      const answer = answers[name] as [number, ErrorCode] | 'allowed';
      it(`answers ${actor} on "${name}" with ${answer === 'allowed' ? 'success' : answer.join(' ')}`, async () => {
        const body = route.body?.(target);
        const response = await request(server.url, route.method, route.path(group, target), {
          token: actors[actor].token,
          ...(body === undefined ? {} : { body }),
        });
        if (answer === 'allowed') {
          expect(response.status).toBeLessThan(300);
        } else {
          expect(response.status).toBe(answer[0]);
          expect(response.body).toMatchObject({ error: { code: answer[1] } });
        }
      });
    }
  }

  it('does not reveal whether a conversation exists: an outsider gets the same answer for a real and a made-up id', async () => {
    for (const route of Object.values(routes)) {
      const body = route.body?.(target);
      const options = { token: actors.outsider.token, ...(body === undefined ? {} : { body }) };
      const real = await request(server.url, route.method, route.path(group, target), options);
      const madeUp = await request(server.url, route.method, route.path('c_doesnotexist0000', target), options);
      expect({ status: real.status, body: real.body }).toEqual({ status: madeUp.status, body: madeUp.body });
    }
  });

  for (const [actor, answers] of Object.entries(expectedFrames) as [Exclude<Actor, 'revoked device'>, Record<string, ErrorCode | 'allowed'>][]) {
    it(`answers ${actor}'s send, read and typing frames as specified`, async () => {
      const socket = await TestSocket.connect(server.url, actors[actor].token);
      const id = randomUUID();
      socket.send({ type: 'send', id, conversation: group, body: { text: 'hi' } });
      socket.send({ type: 'read', conversation: group, seq: 1 });
      socket.send({ type: 'typing', conversation: group, active: true });
      const refused = Object.values(answers).filter((answer) => answer !== 'allowed').sort();
      const errors: string[] = [];
      for (const _ of refused) errors.push((await socket.next('error')).code);
      if (answers.send === 'allowed') await socket.next('sent', (frame) => frame.id === id);
      socket.send({ type: 'ping' });
      await socket.next('pong');
      expect(errors.sort()).toEqual(refused);
      expect(socket.frames.filter((frame) => frame.type === 'error')).toHaveLength(refused.length);
      await socket.close();
    });
  }

  it('answers a revoked device with 401 on every route of its own account', async () => {
    const ownRoutes: [string, string, unknown?][] = [
      ['GET', '/v1/me'], ['PATCH', '/v1/me', { displayName: 'x' }], ['PUT', '/v1/me/password', { currentPassword: 'a long password', newPassword: 'another long one' }],
      ['GET', '/v1/me/blocked'], ['PUT', `/v1/me/blocked/${target.userId}`], ['GET', '/v1/users?query=ta'], ['GET', `/v1/users/${target.userId}`],
      ['GET', '/v1/devices'], ['POST', '/v1/devices/link-codes'], ['DELETE', `/v1/devices/${actors['revoked device'].deviceId}`],
      ['GET', '/v1/devices/current/push'], ['PUT', '/v1/devices/current/push', { provider: 'fcm', token: 'x' }], ['DELETE', '/v1/devices/current/push'],
      ['GET', '/v1/conversations'], ['POST', '/v1/conversations', { type: 'direct', peer: target.userId }], ['DELETE', '/v1/sessions/current'],
    ];
    for (const [method, path, body] of ownRoutes) {
      const response = await request(server.url, method, path, { token: actors['revoked device'].token, ...(body === undefined ? {} : { body }) });
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status: 401 });
    }
  });

  it('closes a revoked device at hello with 4401', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'hello', token: actors['revoked device'].token, protocol: 1 });
    expect((await socket.closed).code).toBe(4401);
  });

  it('refuses revoking another user\'s device as not_found', async () => {
    const response = await request(server.url, 'DELETE', `/v1/devices/${target.deviceId}`, { token: actors.outsider.token });
    expect(response.status).toBe(404);
    expect((await request(server.url, 'GET', '/v1/me', { token: target.token })).status).toBe(200);
  });
});
