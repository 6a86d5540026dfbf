import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey } from '../../../server/src/keys/master-key.js';
import { runCli } from '../testing/cli-process.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parley-master-key-test-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('parley keys create-master-key', () => {
  it('creates a master key file only its owner can read, which a node then loads', async () => {
    const keyFile = join(directory, 'master.key');
    const created = await runCli(['keys', 'create-master-key', '--master-key-file', keyFile], { configDir: directory });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(`created the master key file ${keyFile} (mode 0600): copy it to every node, and back it up apart from the database\n`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(keyFile, false)).toHaveLength(32);
  });

  it('never overwrites an existing key file, which would make the data it protects unreadable', async () => {
    const keyFile = join(directory, 'master.key');
    await runCli(['keys', 'create-master-key', '--master-key-file', keyFile], { configDir: directory });
    const before = await readFile(keyFile, 'utf8');
    const again = await runCli(['keys', 'create-master-key'], { configDir: directory, env: { PARLEY_MASTER_KEY_FILE: keyFile } });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`parley: the master key file ${keyFile} already exists: it is never overwritten (the data it protects would be lost)\n`);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
  });

  it('asks for the file when none is named, rather than guessing one', async () => {
    const refused = await runCli(['keys', 'create-master-key'], { configDir: directory });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('parley: usage: parley keys create-master-key --master-key-file FILE (or PARLEY_MASTER_KEY_FILE)\n');
  });
});
