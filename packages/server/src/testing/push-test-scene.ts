import { randomUUID } from 'node:crypto';
import type { PushProvidersView, PushRegistrationRequest } from '@parley/protocol';
import { FakeClock } from '../clock/fake-clock.js';
import type { ConfigInput } from '../config.js';
import { startApp, type RunningApp } from './running-app.js';
import { createUser, openDirect, request, type TestUser } from './test-api.js';
import { tempDir } from './temp-dir.js';
import { TestSocket } from './test-socket.js';
import { PushStandIns } from './push-stand-ins/push-stand-ins.js';

/**
 * A real server on a FakeClock with every push provider pointed at its
 * stand-in, Alice online and Bob with a registered, offline device.
 */
export class PushTestScene {
  private constructor(
    readonly standIns: PushStandIns,
    readonly clock: FakeClock,
    public server: RunningApp,
    readonly dataDir: { path: string; remove: () => void },
    readonly alice: TestUser,
    readonly bob: TestUser,
    readonly conversation: string,
    readonly aliceSocket: TestSocket,
    private readonly overrides: Partial<ConfigInput>,
  ) {}

  static async start(overrides: Partial<ConfigInput> = {}): Promise<PushTestScene> {
    const dataDir = tempDir('parley-push-');
    const clock = new FakeClock(Date.now());
    const standIns = await PushStandIns.start(dataDir.path, () => clock.now());
    const config = { ...standIns.config(), ...overrides, dataDir: `${dataDir.path}/data` };
    const server = await startApp(config, { clock });
    const alice = await createUser(server.url, 'alice');
    const providers = await request<PushProvidersView>(server.url, 'GET', '/v1/push', { token: alice.token });
    standIns.webPush.expectedVapidKey = providers.body.vapidPublicKey;
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    return new PushTestScene(standIns, clock, server, dataDir, alice, bob, conversation, aliceSocket, config);
  }

  get url(): string {
    return this.server.url;
  }

  async register(user: TestUser, registration: PushRegistrationRequest): Promise<void> {
    const response = await request(this.url, 'PUT', '/v1/devices/current/push', { token: user.token, body: registration });
    if (response.status !== 204) throw new Error(`push registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  /** Sends `count` messages and resolves once every one is answered with `sent` (durable, jobs queued). */
  async send(socket: TestSocket, conversation: string, count: number): Promise<number[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (const [index, id] of ids.entries()) socket.send({ type: 'send', id, conversation, body: { text: `message ${index + 1}` } });
    const seqs: number[] = [];
    for (const id of ids) seqs.push((await socket.next('sent', (frame) => frame.id === id)).seq);
    return seqs;
  }

  /** Moves time on and lets the dispatchers (one per node) send everything then due. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await Promise.all(this.server.apps.map((app) => app.deliverDuePushes()));
  }

  /** Stops the server, keeping its data, and starts another on the same data dir and clock. */
  async restart(): Promise<void> {
    await this.aliceSocket.close();
    await this.server.stop({ keepData: true });
    this.server = await startApp(this.overrides, { clock: this.clock });
  }

  /** A counter's total over the server's nodes (each node counts what it did). */
  async metric(name: string): Promise<number> {
    const texts = await Promise.all(this.server.nodeUrls.map(async (url) => (await fetch(`${url}/metrics`)).text()));
    return texts
      .flatMap((text) => text.split('\n'))
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  }

  async stop(): Promise<void> {
    await this.aliceSocket.close();
    await this.server.stop({ keepData: true });
    await this.standIns.close();
    this.dataDir.remove();
  }
}
