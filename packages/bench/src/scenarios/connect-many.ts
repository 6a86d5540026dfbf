import { AckBatcher } from '../load/ack-batcher.js';
import { LeanSocket } from '../load/lean-socket.js';

export interface ConnectOutcome {
  sockets: LeanSocket[];
  failures: number;
  /** The first few failure messages, to say why. */
  failureSamples: string[];
  seconds: number;
  /** Milliseconds from each socket's connect to its `synced`, in the order they finished. */
  syncedAfterMs: number[];
  /** Milliseconds from the start of `connectMany` to each socket's `synced`, in the same order. */
  syncedAtMs: number[];
}

export interface ConnectManyOptions {
  url: string;
  tokens: string[];
  /** Connects in flight at once; the token count for "all at once". */
  concurrency: number;
  /** Source addresses, used round-robin; none: the system's choice (127.0.0.1). */
  sourceAddresses: string[];
  acks: AckBatcher;
  syncTimeoutMs: number;
  onProgress?: (done: number, failed: number) => void;
}

/**
 * Opens one lean socket per token with at most `concurrency` opening at
 * once, and counts failures instead of stopping at the first: at tens of
 * thousands of connections some may fail, and how many is itself a figure.
 */
export async function connectMany(options: ConnectManyOptions): Promise<ConnectOutcome> {
  const startedMs = performance.now();
  const sockets: LeanSocket[] = [];
  const syncedAfterMs: number[] = [];
  const syncedAtMs: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < options.tokens.length) {
      const index = next++;
      const localAddress = options.sourceAddresses[index % Math.max(1, options.sourceAddresses.length)];
      try {
        const socket = await LeanSocket.open({
          url: options.url,
          token: options.tokens[index] ?? '',
          acks: options.acks,
          syncTimeoutMs: options.syncTimeoutMs,
          ...(localAddress === undefined ? {} : { localAddress }),
        });
        sockets.push(socket);
        syncedAfterMs.push(socket.syncedAfterMs);
        syncedAtMs.push(performance.now() - startedMs);
      } catch (error) {
        failures++;
        if (failureSamples.length < 5) failureSamples.push(error instanceof Error ? error.message : String(error));
      }
      options.onProgress?.(sockets.length, failures);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.tokens.length)) }, worker));
  return { sockets, failures, failureSamples, seconds: (performance.now() - startedMs) / 1000, syncedAfterMs, syncedAtMs };
}

/** 127.0.0.1 …: one source address has about 28k ephemeral ports towards one server port. */
export function sourceAddressesFor(connections: number, given: string[]): string[] {
  if (given.length > 0) return given;
  const perAddress = 25_000;
  if (connections <= perAddress) return [];
  return Array.from({ length: Math.ceil(connections / perAddress) }, (_, index) => `127.0.0.${index + 1}`);
}
