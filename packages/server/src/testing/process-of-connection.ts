import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The id of the process on this machine that holds the TCP connection whose
 * local port is `port` (as `ss` reports it), or undefined when none does: which
 * of a cluster's processes made a request a stand-in received.
 */
export async function processOfConnection(port: number): Promise<number | undefined> {
  const { stdout } = await run('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`]);
  const found = /pid=(\d+)/.exec(stdout);
  return found === null ? undefined : Number(found[1]);
}
