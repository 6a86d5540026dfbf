import { execFileSync } from 'node:child_process';
import { statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mounts a real small file system a test can fill, a tmpfs of `size` (`24m`): needs root, as in CI. Returns why not, if it could not. */
export function mountSmallDisk(mountPoint: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here (${error instanceof Error ? error.message : String(error)}); run as root`;
  }
}

/** Fills the file system of `directory` until `roomBytes` are left, as `dd` would, with the file `filler` there. */
export function fillDiskLeaving(directory: string, roomBytes: number): void {
  const stats = statfsSync(directory);
  writeFileSync(join(directory, 'filler'), Buffer.alloc(stats.bavail * stats.bsize - roomBytes, 1));
}
