import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A command in a pseudo-terminal, as a person runs it, driven through tmux
 * on a server of its own (`-L`), so no one's tmux sessions are touched.
 */
export class TerminalSession {
  private constructor(private readonly socketName: string) {}

  /** The command's process id: tmux ends it with SIGHUP, which a server takes as "reload TLS", so it is ended by id. */
  private pid: number | undefined;

  static async start(command: string[], env: Record<string, string>, size = { columns: 120, rows: 40 }): Promise<TerminalSession> {
    const session = new TerminalSession(`parley-test-${process.pid}-${Date.now()}`);
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    await session.tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), 'env', ...assignments, ...command);
    const { stdout } = await session.tmux('display-message', '-p', '-t', 'main', '#{pane_pid}');
    session.pid = Number(stdout.trim());
    return session;
  }

  /** Types keys: text as is, or tmux key names (`Enter`, `C-c`). */
  async type(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** What the terminal shows now. */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', 'main');
    return stdout;
  }

  /** Resolves once the screen matches, failing with the screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen().catch(() => '');
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once the command has exited (its session is gone). */
  async exited(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (await this.tmux('has-session', '-t', 'main').then(() => true, () => false)) {
      if (Date.now() > deadline) throw new Error('the command in the terminal did not exit');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the command if it still runs, and the tmux server. */
  async close(): Promise<void> {
    if (this.pid !== undefined) {
      try {
        process.kill(this.pid, 'SIGTERM');
        await this.exited();
      } catch (error) {
        // ESRCH: it has exited already, as it should have; anything else is a real failure.
        if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
      }
    }
    await this.tmux('kill-server').catch(() => undefined);
  }

  private tmux(...args: string[]) {
    return run('tmux', ['-L', this.socketName, ...args]);
  }
}
