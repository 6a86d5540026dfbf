import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEntry, CliProcess, runCli } from '../testing/cli-process.js';
import { TerminalSession } from '../testing/terminal-session.js';

let directory: string;
let terminal: TerminalSession | undefined;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parley-serve-test-'));
});
afterEach(async () => {
  await terminal?.close();
  terminal = undefined;
  await rm(directory, { recursive: true, force: true });
});

describe('parley serve as a newcomer starts it', () => {
  it('prints readable lines on a terminal, with where the data and the master key are, and no push warning', async () => {
    const dataDir = join(directory, 'data');
    terminal = await TerminalSession.start([process.execPath, cliEntry, 'serve', '--port', '0', '--data-dir', dataDir], { NO_COLOR: '1' }, { columns: 250, rows: 20 });
    const screen = await terminal.waitFor(/master key in .*back the key up/);
    expect(screen).toContain(`data in ${dataDir}; master key in ${join(dataDir, 'master.key')}`);
    expect(screen).toMatch(/INFO: server listening at http:\/\/127\.0\.0\.1:\d+/);
    expect(screen).not.toContain('{"level"');
    expect(screen).not.toMatch(/VAPID/);
    await terminal.type('C-c');
    await terminal.exited();
  });

  it('prints one JSON record per line when its output goes to a file or a pipe', async () => {
    const server = new CliProcess(['serve', '--port', '0', '--data-dir', join(directory, 'data')], { configDir: directory, env: { PARLEY_DRAIN_GRACE_MS: '0' } });
    await server.waitFor(/"msg":"parley is listening"/);
    expect(await server.stop('SIGTERM')).toBe(0);
    const records = server.stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
    expect(records.map((record) => record.msg)).toContain('parley stopped');
  });

  it('says what to do when its port is taken by another program', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      const refused = await runCli(['serve', '--port', String(port), '--data-dir', join(directory, 'data')], { configDir: directory });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`parley: 127.0.0.1:${port} is already in use by another program (another Parley server?): stop it, or choose another port with --port <n>`);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('says in --help what each setting means', async () => {
    const help = await runCli(['serve', '--help'], { configDir: directory });
    const lines = help.stdout.split('\n');
    const flags = lines.flatMap((line, index) => (/^ {2}--/.test(line) ? [[line, lines[index + 1] ?? '']] : []));
    expect(flags.length).toBeGreaterThan(40);
    for (const [flag, meaning] of flags) expect(meaning, flag).toMatch(/^ {6}\S/);
    expect(help.stdout).toMatch(/--registration <value> {2}\(PARLEY_REGISTRATION, default "open"\)\n {6}who may create an account/);
  });
});
