import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildServerOptions {
  /** The script Node runs, and its arguments. */
  script: string;
  args: string[];
  /** Options for Node itself, before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  env: Record<string, string>;
  /** The `msg` of the JSON log line that says the server listens, with `host` and `port`. */
  listeningMessage: string;
  /** Pins the child to this CPU with `taskset -c`, so it does not compete with the generator. */
  cpu?: number;
  startTimeoutMs?: number;
}

export interface ChildServer {
  pid: number;
  url: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the process exits on its own or is stopped. */
  exited: Promise<number | null>;
  /** What went wrong since the start: an exit that `stop` did not ask for, error log lines (at most 10). */
  problems(): string[];
}

/** pino's level number for `error`: lines at or above it are kept as problems. */
const errorLevel = 50;

/**
 * Starts a server in its own process and waits for its "listening" log line.
 * A separate process gives the server its own event loop and lets its CPU be
 * read from /proc apart from the generator's.
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const nodeArgs = [...(options.nodeArgs ?? []), options.script, ...options.args];
  const [command, args] =
    options.cpu === undefined ? [process.execPath, nodeArgs] : ['taskset', ['-c', String(options.cpu), process.execPath, ...nodeArgs]];
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderrTail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail.push(chunk.toString());
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const url = await waitForListening(child, options, exited, stderrTail);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server process has no pid');
  const problems: string[] = [];
  let stopping = false;
  createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => {
    if ((parseLogLine(line)?.level ?? 0) >= errorLevel && problems.length < 10) problems.push(line.slice(0, 500));
  });
  void exited.then((code) => {
    if (!stopping) problems.unshift(`the process exited by itself with ${code}: ${stderrTail.join('').slice(-1000)}`);
  });
  const stop = (graceMs = 5_000) => {
    stopping = true;
    return stopChild(child, exited, graceMs);
  };
  return { pid, url, exited, stop, problems: () => [...problems] };
}

function waitForListening(child: ChildProcess, options: ChildServerOptions, exited: Promise<number | null>, stderrTail: string[]): Promise<string> {
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.script} did not start in time`)), options.startTimeoutMs ?? 30_000);
    lines.on('line', (line) => {
      const record = parseLogLine(line);
      if (record?.msg !== options.listeningMessage) return;
      clearTimeout(timer);
      // Keep draining stdout (the server logs requests), or the pipe would fill and block it.
      resolve(`http://${record.host ?? '127.0.0.1'}:${record.port ?? 0}`);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with ${code} before listening: ${stderrTail.join('').slice(-2000)}`));
    });
  });
}

interface LogRecord {
  msg?: string;
  level?: number;
  host?: string;
  port?: number;
}

function parseLogLine(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogRecord;
  } catch {
    return undefined; // Not a log record (a stray print): not the line we wait for.
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
