import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Debian's HAProxy; elsewhere the one on the PATH. */
const haproxyCommand = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';

/**
 * Runs HAProxy in the foreground (`-db`) on a configuration file, as a child
 * that stops with its parent's call to `kill()`. What it says on stderr
 * (configuration errors, servers going down and up) goes to `output`; its
 * stdout log repeats those lines, so it is left out.
 */
export function startHaproxy(configPath: string, output: (line: string) => void): ChildProcess {
  const child = spawn(haproxyCommand, ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim() !== '') output(line);
  });
  child.on('error', (error) => output(`haproxy could not be started (${error.message}): install it (apt-get install haproxy)`));
  return child;
}

/** Resolves once something accepts TCP connections on `host:port`; rejects after `timeoutMs`. */
export async function waitForListener(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
