import type { LoginFailures } from '../../chat/login-throttle-rule.js';
import type { LoginFailureStore } from '../../chat/store-port.js';

const keysMax = 100_000;

/**
 * Failed logins in this process's memory: the embedded store's answer, where
 * the process is the whole server. Bounded: past `keysMax` keys the older half
 * is forgotten, so an attacker cycling addresses cannot grow it without end.
 * A restart forgets everything, which only restarts the waits.
 */
export class MemoryLoginFailures implements LoginFailureStore {
  private readonly failures = new Map<string, LoginFailures>();

  async loginFailures(keys: string[]): Promise<Map<string, LoginFailures>> {
    const found = new Map<string, LoginFailures>();
    for (const key of keys) {
      const failures = this.failures.get(key);
      if (failures !== undefined) found.set(key, { ...failures });
    }
    return found;
  }

  async recordLoginFailure(keys: string[], at: number): Promise<void> {
    if (this.failures.size >= keysMax) this.forgetOlderHalf();
    for (const key of keys) {
      const previous = this.failures.get(key);
      // Delete first: a Map iterates in insertion order, so the oldest failures stay first.
      this.failures.delete(key);
      this.failures.set(key, { count: (previous?.count ?? 0) + 1, lastAtMs: at });
    }
  }

  async clearLoginFailures(key: string): Promise<void> {
    this.failures.delete(key);
  }

  private forgetOlderHalf(): void {
    let toDrop = Math.ceil(this.failures.size / 2);
    for (const key of this.failures.keys()) {
      if (toDrop-- <= 0) break;
      this.failures.delete(key);
    }
  }
}
