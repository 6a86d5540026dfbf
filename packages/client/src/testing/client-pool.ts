import { ParleyApi } from '../api.js';
import { ParleyClient, type ParleyClientOptions } from '../client.js';
import { NodeWebSocket } from '../node.js';
import type { TestUser } from './test-server.js';

/** Clients made for one test file, all closed by `closeAll` after each test. */
export class ClientPool {
  private readonly clients: ParleyClient[] = [];

  constructor(private readonly url: () => string) {}

  /** A client with `token` (or `user`'s first device); reconnects wait no time (random 0). */
  clientOf(user: TestUser | string, options: Partial<ParleyClientOptions> = {}): ParleyClient {
    const client = new ParleyClient({
      url: this.url(),
      token: typeof user === 'string' ? user : user.session.token,
      WebSocket: NodeWebSocket,
      random: () => 0,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.close().catch(() => undefined)));
  }
}

/** Logs `user` in once more: the token of another device of the same account. */
export async function anotherDevice(url: string, user: TestUser, deviceName: string): Promise<string> {
  const session = await new ParleyApi({ baseUrl: url }).login({ username: user.username, password: user.password, deviceName });
  return session.token;
}

/** Resolves once `condition` holds, asking again every few milliseconds, for at most `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
