import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cpuSecondsBetween, cpuSecondsByPid, pidsWhoseTitle, postgresBackendPids, storageWriteBytesOf } from './measured-processes.js';

describe('the CPU of a set of processes', () => {
  it('counts a process that appeared between two readings with all its CPU, and leaves out one that exited', () => {
    const before = new Map([[1, 2], [2, 5]]);
    const after = new Map([[1, 3.5], [3, 0.25]]);
    expect(cpuSecondsBetween(before, after)).toBe(1.75);
  });

  it('reads the processes still running and skips a pid that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await exited;
    const readings = cpuSecondsByPid([process.pid, child.pid ?? -1]);
    expect([...readings.keys()]).toEqual([process.pid]);
    expect(readings.get(process.pid)).toBeGreaterThan(0);
  });

  it('finds processes by their command line', async () => {
    const marker = `measured-processes-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)', marker]);
    // After `spawn` the child runs Node, not a copy of this process: its command line is its own.
    await once(child, 'spawn');
    try {
      expect(pidsWhoseTitle((title) => title.endsWith(marker))).toEqual([child.pid]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('finds no PostgreSQL backend for a database nobody uses', () => {
    expect(postgresBackendPids(`no_such_database_${process.pid}`)).toEqual([]);
  });

  it('counts the bytes a process made durable on disk, and not those of a file it removed before write-back', async () => {
    // Both files are written through the page cache; only the synced one must reach the disk.
    const script = `
      const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-bytes-'));
      const kept = fs.openSync(path.join(dir, 'kept'), 'w'); fs.writeSync(kept, Buffer.alloc(1 << 20, 1)); fs.fsyncSync(kept); fs.closeSync(kept);
      fs.writeFileSync(path.join(dir, 'dropped'), Buffer.alloc(1 << 20, 2)); fs.rmSync(path.join(dir, 'dropped'));
      process.stdout.write('written');
      setTimeout(() => fs.rmSync(dir, { recursive: true }), 10000);`;
    const child = spawn(process.execPath, ['-e', script]);
    try {
      await once(child.stdout, 'data');
      // Node itself writes nothing to storage while it starts.
      const written = storageWriteBytesOf([child.pid ?? -1]) ?? 0;
      expect(written).toBeGreaterThanOrEqual(1 << 20);
      expect(written).toBeLessThan(2 << 20);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
