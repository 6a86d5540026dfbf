import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The server's entry, `parley serve` without the CLI around it: the same in `src/` and `dist/`. */
const serverMain = fileURLToPath(new URL('../main.js', import.meta.url));

const readyPollIntervalMs = 100;
const restartDelayMs = 1_000;

export interface NodeSpec {
  name: string;
  host: string;
  port: number;
  /** Settings for the node, as `PARLEY_…` variables, over the launcher's own environment. */
  env: Record<string, string>;
}

/**
 * One node of `parley cluster`: a server process in a process group of its
 * own (so a Ctrl-C at the terminal reaches the launcher alone, which then
 * stops things in order), its log lines prefixed with its name. A node that
 * was ready and exits by itself is reported and restarted after a second,
 * as a service manager would; one that cannot get ready is reported and left
 * down (it would only fail again): HAProxy sends its users to the others.
 */
export class NodeProcess {
  private child: ChildProcess | undefined;
  private stopping = false;

  constructor(
    readonly spec: NodeSpec,
    private readonly report: (line: string) => void,
    private readonly readyTimeoutMs: number,
  ) {}

  /** The running node's process id (to read its CPU, to pin it); undefined before the start and after an exit. */
  get pid(): number | undefined {
    const child = this.child;
    return child === undefined || child.exitCode !== null || child.signalCode !== null ? undefined : child.pid;
  }

  get url(): string {
    return `http://${this.spec.host.includes(':') ? `[${this.spec.host}]` : this.spec.host}:${this.spec.port}`;
  }

  /** Starts the node; resolves once its `/readyz` answers 200, rejects when it exits or times out first. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [serverMain], {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.report(`[${this.spec.name}] ${line}`));
    }
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
    let ready = false;
    void exited.then((how) => {
      if (this.stopping || this.child !== child) return;
      this.report(`${this.spec.name} exited (${how})`);
      if (ready) this.restartLater();
    });
    await this.waitUntilReady(exited);
    ready = true;
  }

  /**
   * Stops the node and resolves once it has exited. SIGINT drains at once:
   * the node answers what it read and closes its sockets with 1001 (the
   * grace period on SIGTERM is for a load balancer to take one node out,
   * pointless when every node stops).
   */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** For the launcher's own exit: no child may outlive it, whatever happened. */
  kill(): void {
    this.stopping = true;
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private restartLater(): void {
    this.report(`restarting ${this.spec.name} in ${restartDelayMs / 1000} s; HAProxy sends its users to the other nodes meanwhile`);
    setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => this.report(`${this.spec.name} is back`),
        (error: unknown) => this.report(`${this.spec.name} could not restart (${error instanceof Error ? error.message : String(error)}); it stays down`),
      );
    }, restartDelayMs);
  }

  private async waitUntilReady(exited: Promise<string>): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let exit: string | undefined;
    void exited.then((how) => (exit = how));
    for (;;) {
      if (exit !== undefined) throw new Error(`${this.spec.name} exited (${exit}) before it was ready`);
      if (await this.answersReady()) return;
      if (Date.now() > deadline) throw new Error(`${this.spec.name} is not ready after ${this.readyTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, readyPollIntervalMs));
    }
  }

  private async answersReady(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/readyz`)).status === 200;
    } catch {
      return false; // Not listening yet.
    }
  }
}
