import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built entry a person runs (`npx parley` runs the same file); `npm test` builds it first (`tsc -b`). */
export const cliEntry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface CliProcessOptions {
  /** Where profiles live (`PARLEY_CONFIG_DIR`). */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  input?: string;
}

/** A running `parley …` process, its output gathered as it comes. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], options: CliProcessOptions) {
    // No PARLEY_* from the developer's shell: the test says everything the process sees.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PARLEY_') && !name.startsWith('npm_')));
    this.child = spawn(process.execPath, [cliEntry, ...args], {
      env: { ...inherited, NO_COLOR: '1', PARLEY_CONFIG_DIR: options.configDir, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin?.end(options.input ?? '');
    // A test that fails before stopping it must not leave a listen retrying forever behind it.
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.child.once('close', () => process.off('exit', killOnExit));
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => resolve(code));
    });
  }

  /** Resolves once stdout or stderr (as `where` says) matches, failing with what was printed after `timeoutMs`. */
  async waitFor(pattern: RegExp, where: 'stdout' | 'stderr' = 'stdout', timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this[where])) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} on ${where}; stdout: ${this.stdout}; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` (Ctrl-C is SIGINT) and resolves with the exit code. */
  stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** Runs `parley …` to the end. */
export async function runCli(args: string[], options: CliProcessOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = new CliProcess(args, options);
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}
