import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const binaries = '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user. */
function command(tool: string, args: string[]): [string, string[]] {
  const path = join(binaries, tool);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A PostgreSQL cluster of a test's own, in a temp dir on a free port, for
 * tests that stop and start the database: the machine's shared one is never
 * stopped. `remove` stops it and deletes its directory.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly directory: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<ThrowawayPostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'parley-pg-'));
    if (process.getuid?.() === 0) await run('chown', ['postgres:', directory]);
    const cluster = new ThrowawayPostgres(directory, await freePort());
    try {
      // fsync stays on: the restart test is about durability.
      await run(...command('initdb', ['-D', join(directory, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync']));
      await cluster.start();
      return cluster;
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    }
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1`;
    await run(...command('pg_ctl', ['-D', join(this.directory, 'data'), '-o', options, '-l', join(this.directory, 'log'), '-w', 'start']));
  }

  /** A fast shutdown: sessions are ended and open transactions rolled back, as in a restart by an operator. */
  async stop(): Promise<void> {
    await run(...command('pg_ctl', ['-D', join(this.directory, 'data'), '-m', 'fast', '-w', 'stop']));
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.directory, { recursive: true, force: true });
  }
}
