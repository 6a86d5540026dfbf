import type { Bus } from './bus/bus.js';
import type { Config } from './config.js';

/**
 * Opens the bus the configuration names, loading its adapter with `import()`
 * only when chosen (a NATS client stays unloaded on the embedded default).
 */
export async function openBus(config: Config): Promise<Bus> {
  switch (config.bus) {
    case 'memory': {
      const { MemoryBus } = await import('./bus/memory-bus.js');
      return new MemoryBus();
    }
  }
}
