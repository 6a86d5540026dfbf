import type { App } from '../app.js';

/** A server a test started (`startApp`): one node, or a test cluster's nodes behind one URL. */
export interface RunningApp {
  /** The server; on a test cluster, its first node. */
  app: App;
  /** Every node: the one server, or each node of a test cluster (`app` first). */
  apps: App[];
  url: string;
  /**
   * Each node's own URL, `app`'s first (on one server, `url` alone): for
   * what every node keeps to itself, as its metrics and per-address limits.
   */
  nodeUrls: string[];
  dataDir: string;
  /** Closes the app and, unless kept, removes its data. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}
