import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const mainScript = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every log line the process has written so far, parsed. */
  log: { level: number; msg: string; [field: string]: unknown }[];
}

/**
 * Starts the built server (`dist/main.js`) as a child process on an ephemeral
 * port, for tests that kill or signal a real process. `npm test` builds first.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(mainScript)) throw new Error(`${mainScript} is missing: run npm run build first`);
  const child = spawn(process.execPath, [mainScript, '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, PARLEY_LOG_LEVEL: 'info', PARLEY_AUTH_BURST: '1000', PARLEY_AUTH_RATE_PER_MINUTE: '60000', PARLEY_DRAIN_GRACE_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const log: ServerProcess['log'] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server process did not start in time')), 20_000);
    lines.on('line', (line) => {
      const record = JSON.parse(line) as ServerProcess['log'][number] & { host?: string; port?: number };
      log.push(record);
      if (record.msg === 'parley is listening') {
        clearTimeout(timer);
        resolve(`http://${record.host}:${record.port}`);
      }
    });
    void exited.then(() => reject(new Error('server process exited before listening')));
  });
  return { child, url, exited, log };
}

/** Runs the built server expecting it to refuse to start: its exit code and what it wrote to stderr. */
export async function runRefusedServer(dataDir: string, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [mainScript, '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, PARLEY_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stderr };
}
