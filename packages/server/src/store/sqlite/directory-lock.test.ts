import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir.js';
import { DirectoryLock } from './directory-lock.js';

describe('DirectoryLock', () => {
  let dirs: { path: string; remove: () => void }[] = [];
  beforeEach(() => {
    dirs = [tempDir(), tempDir()];
  });
  afterEach(() => dirs.forEach((dir) => dir.remove()));

  it('refuses a second holder of the same directory, and takes it again once released', () => {
    const dir = dirs[0] as { path: string };
    const first = DirectoryLock.acquire(dir.path);
    expect(() => DirectoryLock.acquire(dir.path)).toThrow(`another Parley server is running on the data directory ${dir.path}`);
    first.release();
    DirectoryLock.acquire(dir.path).release();
  });

  it('locks directories independently', () => {
    const locks = dirs.map((dir) => DirectoryLock.acquire(dir.path));
    locks.forEach((lock) => lock.release());
  });
});
