import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClientState, type ClientState, type ClientStorage } from './client-storage.js';
import { FileStorage } from './file-storage.js';
import { MemoryStorage } from './memory-storage.js';

const state: ClientState = {
  user: 'u_alice',
  pos: 42,
  maxSeqByConversation: { c_1: 7, c_2: 1 },
  outbox: [{ id: '6f1c2f1e-8a53-4c39-9b0e-6a1f0e7a2d11', conversation: 'c_1', body: { text: 'hi', replyTo: 3 }, createdAt: 1 }],
};

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parley-storage-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function describeStorage(name: string, open: () => ClientStorage): void {
  describe(name, () => {
    it('loads nothing before the first save', async () => {
      expect(await open().load()).toBeUndefined();
    });

    it('loads back exactly the state it saved last', async () => {
      const storage = open();
      await storage.save({ ...state, pos: 1 });
      await storage.save(state);
      expect(await storage.load()).toEqual(state);
    });

    it('is not changed by a caller that mutates a state after saving it', async () => {
      const storage = open();
      const mine = structuredClone(state);
      await storage.save(mine);
      mine.pos = 99;
      mine.outbox.length = 0;
      expect(await storage.load()).toEqual(state);
    });
  });
}

describeStorage('MemoryStorage', () => new MemoryStorage());
describeStorage('FileStorage', () => new FileStorage(join(directory, 'nested', 'state.json')));

describe('FileStorage', () => {
  it('keeps the state for a new instance on the same path, as after a restart', async () => {
    const path = join(directory, 'state.json');
    await new FileStorage(path).save(state);
    expect(await new FileStorage(path).load()).toEqual(state);
  });

  it('leaves no temp files behind and makes the file readable by its owner only', async () => {
    const path = join(directory, 'state.json');
    const storage = new FileStorage(path);
    await Promise.all([storage.save(state), storage.save({ ...state, pos: 43 })]);
    expect(await readdir(directory)).toEqual(['state.json']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(parseClientState(JSON.parse(await readFile(path, 'utf8')))).toBeDefined();
  });

  it('refuses a damaged file instead of starting over silently', async () => {
    const path = join(directory, 'state.json');
    await writeFile(path, '{"pos": "many"}');
    await expect(new FileStorage(path).load()).rejects.toThrow(/damaged/);
  });
});

describe('parseClientState', () => {
  it('refuses shapes that are not a client state', () => {
    expect(parseClientState(null)).toBeUndefined();
    expect(parseClientState({ pos: -1, maxSeqByConversation: {}, outbox: [] })).toBeUndefined();
    expect(parseClientState({ pos: 1, maxSeqByConversation: { c_1: 'x' }, outbox: [] })).toBeUndefined();
    expect(parseClientState({ pos: 1, maxSeqByConversation: {}, outbox: [{ id: 'x' }] })).toBeUndefined();
  });
});
