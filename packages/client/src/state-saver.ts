import type { ClientState, ClientStorage } from './client-storage.js';

/**
 * Serialises and coalesces saves of the client state. At most one save runs
 * at a time; every `save()` call made while one runs shares the next one,
 * which snapshots the state when it starts. So a burst of replayed events
 * costs one or two writes, not one per event, and saves never overtake each
 * other (an older state can never overwrite a newer one).
 */
export class StateSaver {
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<ClientState> | undefined;

  constructor(
    private readonly storage: ClientStorage,
    private readonly snapshot: () => ClientState,
    /** Called with each state once it is durable: the moment it may be acked. */
    private readonly onSaved: (state: ClientState) => void,
  ) {}

  /** Resolves once a state taken after this call is saved. */
  save(): Promise<ClientState> {
    if (this.queued) return this.queued;
    const next = this.running.then(
      () => this.write(),
      () => this.write(),
    );
    this.queued = next;
    this.running = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async write(): Promise<ClientState> {
    // Calls from now on must take a newer snapshot than this one.
    this.queued = undefined;
    const state = this.snapshot();
    await this.storage.save(state);
    this.onSaved(state);
    return state;
  }
}
