import type { ClientState, ClientStorage } from './client-storage.js';

/**
 * Keeps the state in memory: a page reload or process exit forgets it, so the
 * next connection of the same device relies on the server's acked pos alone.
 * States are copied in and out so a caller cannot change a saved state.
 */
export class MemoryStorage implements ClientStorage {
  private state: ClientState | undefined;

  constructor(initial?: ClientState) {
    this.state = initial === undefined ? undefined : structuredClone(initial);
  }

  async load(): Promise<ClientState | undefined> {
    return this.state === undefined ? undefined : structuredClone(this.state);
  }

  async save(state: ClientState): Promise<void> {
    this.state = structuredClone(state);
  }
}
