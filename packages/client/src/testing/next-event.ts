import type { ClientEvents } from '../client-events.js';
import type { ParleyClient } from '../client.js';

/**
 * The next `name` event that satisfies `matches`, or a rejection naming what
 * was awaited after `timeoutMs`: tests wait for behaviour, never a fixed time.
 */
export function nextEvent<K extends keyof ClientEvents>(
  client: ParleyClient,
  name: K,
  matches: (value: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching ${String(name)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = client.on(name, (value) => {
      if (!matches(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

/** Resolves once `condition` holds, checking after each turn of the event loop; bounded like `nextEvent`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
