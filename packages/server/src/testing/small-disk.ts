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

/**
 * Waits until nothing has taken space on the file system of `directory` for
 * `quietMs`. A server goes on writing after its last answer (the store's
 * housekeeping moves its logs within two seconds, and checkpoints grow the
 * database file), and those writes would use the room a test leaves for its
 * own before they start.
 */
export async function untilSpaceStopsChanging(directory: string, quietMs = 2_000, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let free = statfsSync(directory).bavail;
  let changedAt = Date.now();
  while (Date.now() - changedAt < quietMs) {
    if (Date.now() > deadline) throw new Error(`the space used on ${directory} kept changing for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = statfsSync(directory).bavail;
    if (now !== free) {
      free = now;
      changedAt = Date.now();
    }
  }
}
