import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseClientState, type ClientState, type ClientStorage } from './client-storage.js';

/**
 * Keeps the client state in one JSON file (Node only). A save writes a temp
 * file, flushes it to disk and renames it over the old one, so a crash leaves
 * either the old state or the new one, never half of each.
 */
export class FileStorage implements ClientStorage {
  private saves = 0;

  constructor(readonly path: string) {}

  async load(): Promise<ClientState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
    const state = parseJson(text);
    if (!state) throw new Error(`client state file is damaged: ${this.path}`);
    return state;
  }

  async save(state: ClientState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // Unique per save: two saves in flight must not write the same temp file.
    const temporary = `${this.path}.${process.pid}.${(this.saves += 1)}.tmp`;
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify(state));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

function parseJson(text: string): ClientState | undefined {
  try {
    return parseClientState(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
