import { pino } from 'pino';
import type { Bus } from '../bus/bus.js';
import type { ChatContext } from '../chat/chat-context.js';
import type { Caller } from '../chat/chat-context.js';
import type { Device, User } from '../chat/model.js';
import { FakeClock } from '../clock/fake-clock.js';
import { openBus } from '../open-bus.js';
import { openStore } from '../open-store.js';
import type { OpenedStore } from '../store-opening.js';
import { Fixtures, t0 } from '../store/contract/fixtures.js';
import { tempDir } from './temp-dir.js';
import { testConfig } from './test-config.js';

/** The ports a use case runs on, opened as the server opens them: SQLite in a temp dir, the configured bus, a FakeClock. */
export interface UseCaseScene {
  context: ChatContext;
  store: OpenedStore;
  bus: Bus;
  clock: FakeClock;
  make: Fixtures;
  /** A user with one device, as the caller of a use case. */
  caller(username: string): Promise<{ user: User; device: Device; caller: Caller }>;
  close(): Promise<void>;
}

export async function openUseCaseScene(): Promise<UseCaseScene> {
  const dir = tempDir();
  const config = testConfig({ dataDir: dir.path });
  const store = await openStore(config);
  const bus = await openBus(config, pino({ level: 'silent' }));
  const clock = new FakeClock(t0);
  const context: ChatContext = { store, bus, clock, limits: { ...config, historyPageMax: 100 } };
  const make = new Fixtures(store);
  return {
    context,
    store,
    bus,
    clock,
    make,
    async caller(username) {
      const user = await make.user(username);
      const device = await make.device(user, `${username}-phone`);
      return { user, device, caller: { userId: user.id, deviceId: device.id } };
    },
    async close() {
      await bus.close();
      await store.close();
      dir.remove();
    },
  };
}
