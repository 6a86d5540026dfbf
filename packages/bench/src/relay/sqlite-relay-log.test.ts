import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../process/child-server.js';
import { connectToRelay, type RelayTestClient } from '../testing/relay-test-client.js';

// The relay runs as the bench runs it, in its own process: in this one, its synchronous
// commit would finish before this test could read anything, whatever the order in the code.
const relayScript = fileURLToPath(new URL('../../dist/relay/relay-main.js', import.meta.url));

interface Row {
  conversation: string;
  seq: number;
  id: string;
  sender: string;
  body: string;
}

describe('the ws + SQLite relay', () => {
  let dataDir: string;
  let databasePath: string;
  let relay: ChildServer | undefined;
  let client: RelayTestClient | undefined;
  let reader: Database.Database | undefined;

  beforeEach(async () => {
    if (!existsSync(relayScript)) throw new Error(`${relayScript} is missing: run npx tsc -b first`);
    dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-relay-test-'));
    databasePath = join(dataDir, 'relay.db');
    relay = await startChildServer({ script: relayScript, args: ['--database', databasePath], env: {}, listeningMessage: 'relay is listening' });
    client = await connectToRelay(relay.url, 'u_1|c_1');
    // A second connection to the same file, as a crash-recovered reader would see it: committed rows only.
    reader = new Database(databasePath);
  });

  afterEach(async () => {
    client?.close();
    reader?.close();
    await relay?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    relay = client = reader = undefined;
  });

  const rowOf = (id: string) => reader?.prepare('SELECT conversation, seq, id, sender, body FROM messages WHERE id = ?').get(id) as Row | undefined;

  it('has committed the message to its file when `sent` arrives', async () => {
    if (client === undefined) throw new Error('no client');
    // One at a time: each `sent` is checked the moment it arrives, before the relay could commit late.
    for (let index = 1; index <= 50; index++) {
      const id = `m${index}`;
      const sent = client.next('sent');
      client.send({ type: 'send', id, conversation: 'c_1', body: { text: `hello ${index}` } });
      const answer = await sent;
      expect(rowOf(id)).toEqual({ conversation: 'c_1', seq: index, id, sender: 'u_1', body: JSON.stringify({ text: `hello ${index}` }) });
      expect(answer).toMatchObject({ id, seq: index });
    }
  });

  it('holds `sent` and the relayed message back while its commit cannot happen', async () => {
    if (client === undefined || reader === undefined) throw new Error('no client');
    reader.exec('BEGIN IMMEDIATE'); // takes the write lock: the relay's commit waits for it
    const sent = client.next('sent');
    client.send({ type: 'send', id: 'held', conversation: 'c_1', body: { text: 'wait' } });
    let answered = false;
    void sent.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    expect(client.frames.some((frame) => frame.type === 'message')).toBe(false);
    reader.exec('ROLLBACK');
    await sent;
    expect(rowOf('held')?.seq).toBe(1);
  });

  it('keeps one row per message, in the order they were sent', async () => {
    if (client === undefined) throw new Error('no client');
    const answers = Array.from({ length: 20 }, () => client?.next('sent'));
    for (let index = 1; index <= 20; index++) client.send({ type: 'send', id: `burst${index}`, conversation: 'c_1', body: { text: 'x' } });
    await Promise.all(answers);
    const rows = reader?.prepare('SELECT seq, id FROM messages ORDER BY rowid').all();
    expect(rows).toEqual(Array.from({ length: 20 }, (_, index) => ({ seq: index + 1, id: `burst${index + 1}` })));
  });
});
