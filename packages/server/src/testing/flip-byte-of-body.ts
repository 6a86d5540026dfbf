import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * Flips one byte inside the stored (sealed) body of message `seq`, in the
 * database file itself, as a bad disk would. The server must be stopped, so
 * that the row is checkpointed out of the WAL into the file.
 */
export function flipByteOfBody(databasePath: string, conversation: string, seq: number): void {
  const db = new Database(databasePath, { readonly: true });
  const row = db.prepare<[string, number], { body: Buffer }>('SELECT body FROM messages WHERE conversation_id = ? AND seq = ?').get(conversation, seq);
  db.close();
  if (row === undefined) throw new Error(`no message ${conversation}#${seq}`);
  const bytes = readFileSync(databasePath);
  const offset = bytes.indexOf(row.body);
  if (offset < 0) throw new Error('the sealed body is not in the database file (still in the WAL?)');
  const flipAt = offset + Math.floor(row.body.length / 2);
  const file = openSync(databasePath, 'r+');
  writeSync(file, Buffer.from([(bytes[flipAt] as number) ^ 0x01]), 0, 1, flipAt);
  closeSync(file);
}
