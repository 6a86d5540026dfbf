import type {
  ConversationSummaryView,
  ConversationView,
  DeviceView,
  LinkCodeView,
  LoginRequest,
  MeView,
  MessageReceiptsView,
  MessagePage,
  PushProvidersView,
  PushRegistrationRequest,
  PushRegistrationView,
  RegisterRequest,
  SessionView,
  UpdateMeRequest,
  UserView,
} from '@parley/protocol';
import { ParleyApiError } from './parley-api-error.js';

export interface ParleyApiOptions {
  /** The server's http(s) base URL, e.g. `https://chat.example.com`. */
  baseUrl: string;
  /** A device token; `login` sets it. */
  token?: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof globalThis.fetch;
}

/** Which page of history to read (protocol §6): `after`, `before`, or neither for the newest. */
export interface HistoryOptions {
  before?: number;
  after?: number;
  limit?: number;
}

/**
 * Typed calls of the HTTP API (protocol §6). Every refusal throws a
 * `ParleyApiError`; network failures throw what `fetch` throws.
 */
export class ParleyApi {
  /** The device token sent as `Authorization: Bearer`; set by `login`, cleared by `logout`. */
  token: string | undefined;
  private readonly baseUrl: string;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: ParleyApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  register(request: RegisterRequest): Promise<UserView> {
    return this.request('POST', '/v1/accounts', request);
  }

  /**
   * Logs in with a password or a link code, creating a device, and keeps its
   * token for the calls that follow.
   */
  async login(request: LoginRequest): Promise<SessionView> {
    const session = await this.request<SessionView>('POST', '/v1/sessions', request);
    this.token = session.token;
    return session;
  }

  /** Logs out: revokes this device and forgets its token. */
  async logout(): Promise<void> {
    await this.request<void>('DELETE', '/v1/sessions/current');
    this.token = undefined;
  }

  me(): Promise<MeView> {
    return this.request('GET', '/v1/me');
  }

  updateMe(patch: UpdateMeRequest): Promise<MeView> {
    return this.request('PATCH', '/v1/me', patch);
  }

  /** Changes the password; every other device of the user is revoked. A wrong current password is `forbidden`. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request<void>('PUT', '/v1/me/password', { currentPassword, newPassword });
  }

  /** The ids of the users this user has blocked. */
  async blockedUsers(): Promise<string[]> {
    const result = await this.request<{ users: string[] }>('GET', '/v1/me/blocked');
    return result.users;
  }

  /** Blocks (`true`) or unblocks (`false`) a user: see protocol E3 for what a block withholds. */
  async setBlocked(userId: string, blocked: boolean): Promise<void> {
    await this.request<void>(blocked ? 'PUT' : 'DELETE', `/v1/me/blocked/${encodeURIComponent(userId)}`);
  }

  /** One user by id (any user id the caller has seen, e.g. a group member). */
  user(userId: string): Promise<UserView> {
    return this.request('GET', `/v1/users/${encodeURIComponent(userId)}`);
  }

  /** Users whose username or display name matches `query`. */
  async searchUsers(query: string): Promise<UserView[]> {
    const result = await this.request<{ users: UserView[] }>('GET', `/v1/users?${new URLSearchParams({ query })}`);
    return result.users;
  }

  async devices(): Promise<DeviceView[]> {
    const result = await this.request<{ devices: DeviceView[] }>('GET', '/v1/devices');
    return result.devices;
  }

  async revokeDevice(deviceId: string): Promise<void> {
    await this.request<void>('DELETE', `/v1/devices/${encodeURIComponent(deviceId)}`);
  }

  /** Which push services this server can use, and its VAPID public key for Web Push. */
  pushProviders(): Promise<PushProvidersView> {
    return this.request('GET', '/v1/push');
  }

  /** Wakes this device through `registration` (FCM, APNs, Web Push or a webhook) while it has no socket. */
  async registerPush(registration: PushRegistrationRequest): Promise<void> {
    await this.request<void>('PUT', '/v1/devices/current/push', registration);
  }

  /** This device's push registration; `not_found` when it has none. */
  pushRegistration(): Promise<PushRegistrationView> {
    return this.request('GET', '/v1/devices/current/push');
  }

  async unregisterPush(): Promise<void> {
    await this.request<void>('DELETE', '/v1/devices/current/push');
  }

  /** No pushes for the conversation until `until` (ms since the epoch); `null` unmutes. */
  async mute(conversationId: string, until: number | null): Promise<void> {
    await this.request<void>('PUT', `/v1/conversations/${encodeURIComponent(conversationId)}/mute`, { until });
  }

  /** A short-lived, single-use code another device logs in with (`login({ linkCode })`). */
  createLinkCode(): Promise<LinkCodeView> {
    return this.request('POST', '/v1/devices/link-codes');
  }

  /** The direct conversation with `peerUserId`, created on first use (idempotent per pair). */
  openDirect(peerUserId: string): Promise<ConversationView> {
    return this.request('POST', '/v1/conversations', { type: 'direct', peer: peerUserId });
  }

  /** A group with the caller as its admin and `memberIds` as members. */
  createGroup(name: string, memberIds: string[]): Promise<ConversationView> {
    return this.request('POST', '/v1/conversations', { type: 'group', name, members: memberIds });
  }

  renameGroup(conversationId: string, name: string): Promise<ConversationView> {
    return this.request('PATCH', this.conversationPath(conversationId), { name });
  }

  addMembers(conversationId: string, memberIds: string[]): Promise<ConversationView> {
    return this.request('POST', `${this.conversationPath(conversationId)}/members`, { members: memberIds });
  }

  /** Removes a member (admins), or leaves when `userId` is the caller's own id. */
  async removeMember(conversationId: string, userId: string): Promise<void> {
    await this.request<void>('DELETE', `${this.conversationPath(conversationId)}/members/${encodeURIComponent(userId)}`);
  }

  /** Grants (`true`) or revokes (`false`) the admin role (admins only). */
  setAdmin(conversationId: string, userId: string, admin: boolean): Promise<ConversationView> {
    return this.request(admin ? 'PUT' : 'DELETE', `${this.conversationPath(conversationId)}/admins/${encodeURIComponent(userId)}`);
  }

  async conversations(): Promise<ConversationSummaryView[]> {
    const result = await this.request<{ conversations: ConversationSummaryView[] }>('GET', '/v1/conversations');
    return result.conversations;
  }

  conversation(conversationId: string): Promise<ConversationView> {
    return this.request('GET', this.conversationPath(conversationId));
  }

  /** One page of messages in ascending seq; page until an empty page, the server may cap `limit`. */
  history(conversationId: string, options: HistoryOptions = {}): Promise<MessagePage> {
    const query = new URLSearchParams();
    for (const key of ['before', 'after', 'limit'] as const) {
      const value = options[key];
      if (value !== undefined) query.set(key, String(value));
    }
    const search = query.size > 0 ? `?${query}` : '';
    return this.request('GET', `${this.conversationPath(conversationId)}/messages${search}`);
  }

  /** Who could see message `seq` and, for each, whether it reached them and whether they read it (a group's detail behind its aggregate receipts). */
  messageReceipts(conversationId: string, seq: number): Promise<MessageReceiptsView> {
    return this.request('GET', `${this.conversationPath(conversationId)}/messages/${seq}/receipts`);
  }

  private conversationPath(conversationId: string): string {
    return `/v1/conversations/${encodeURIComponent(conversationId)}`;
  }

  /**
   * One call. The response body is trusted to have the documented shape:
   * the server is the contract's other party, and a typed view is its promise.
   */
  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await ParleyApiError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text.length === 0 ? undefined : JSON.parse(text)) as T;
  }
}
