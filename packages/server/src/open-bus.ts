import type { Logger } from 'pino';
import type { Bus } from './bus/bus.js';
import type { Config } from './config.js';
import { assert } from './lib/assert.js';

/** The bus the configuration names: `bus` when set, else NATS when a NATS URL is given. */
export function busKindOf(config: Pick<Config, 'bus' | 'natsUrl'>): 'memory' | 'nats' {
  return config.bus ?? (config.natsUrl === undefined ? 'memory' : 'nats');
}

/**
 * Opens the bus the configuration names, loading its adapter with `import()`
 * only when chosen (a NATS client stays unloaded on the embedded default).
 */
export async function openBus(config: Config, logger: Logger): Promise<Bus> {
  switch (busKindOf(config)) {
    case 'memory': {
      const { MemoryBus } = await import('./bus/memory-bus.js');
      return new MemoryBus();
    }
    case 'nats': {
      const { NatsBus } = await import('./bus/nats-bus.js');
      assert(config.natsUrl !== undefined, 'the config refuses bus nats without a NATS URL');
      return NatsBus.connect({ url: config.natsUrl, subjectPrefix: config.natsSubjectPrefix, logger });
    }
  }
}
