import type { ConversationView, SessionView } from '@parley/protocol';

export interface TestResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small fetch wrapper for tests: JSON in, JSON out, no throwing on 4xx. */
export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
}

export interface TestUser {
  token: string;
  userId: string;
  deviceId: string;
  username: string;
}

let userCounter = 0;

/** Registers a fresh user and logs in one device. */
export async function createUser(baseUrl: string, name = 'user'): Promise<TestUser> {
  const username = `${name}${++userCounter}_${process.pid}`.slice(0, 32);
  const password = 'correct horse battery staple';
  const registered = await request(baseUrl, 'POST', '/v1/accounts', { body: { username, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  return logInAgain(baseUrl, username, password);
}

/** Logs in another device of an existing user. */
export async function logInAgain(baseUrl: string, username: string, password = 'correct horse battery staple'): Promise<TestUser> {
  const login = await request<SessionView>(baseUrl, 'POST', '/v1/sessions', { body: { username, password } });
  if (login.status !== 201) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return { token: login.body.token, userId: login.body.user.id, deviceId: login.body.device.id, username };
}

export async function openDirect(baseUrl: string, user: TestUser, peer: TestUser): Promise<string> {
  const response = await request<ConversationView>(baseUrl, 'POST', '/v1/conversations', {
    token: user.token,
    body: { type: 'direct', peer: peer.userId },
  });
  if (response.status !== 201 && response.status !== 200) throw new Error(`open failed: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** Creates a group of `creator` (its admin) and `members`; returns its id. */
export async function createGroup(baseUrl: string, creator: TestUser, members: TestUser[], name = 'team'): Promise<string> {
  const response = await request<ConversationView>(baseUrl, 'POST', '/v1/conversations', {
    token: creator.token,
    body: { type: 'group', name, members: members.map((member) => member.userId) },
  });
  if (response.status !== 201) throw new Error(`group not created: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** Each member's delivered and read seqs in a conversation, as its details say them, by user id. */
export async function memberSeqs(baseUrl: string, viewer: TestUser, conversation: string): Promise<Map<string, { deliveredSeq: number; readSeq: number }>> {
  const details = await request<ConversationView>(baseUrl, 'GET', `/v1/conversations/${conversation}`, { token: viewer.token });
  if (details.status !== 200) throw new Error(`no details: ${JSON.stringify(details.body)}`);
  return new Map(details.body.members.map((member) => [member.user, { deliveredSeq: member.deliveredSeq, readSeq: member.readSeq }]));
}
