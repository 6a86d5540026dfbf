/**
 * The `events` table's row format: a message event is only (conversation_id,
 * seq), its message looked up on read; receipt and conversation events keep
 * their fields in `data_json`. Encoding and decoding live together here so
 * the two cannot drift apart.
 */
import { conversationChanges } from '@parley/protocol';
import type { ConversationChange } from '@parley/protocol';
import type { ConversationData, Message, ReceiptData, StreamEntry } from '../chat/model.js';
import { assert } from '../lib/assert.js';
import { toConversationKind } from './rows.js';

export type EventKind = StreamEntry['kind'];

/** An `events` row. */
export interface EventRow {
  pos: number;
  kind: string;
  conversation_id: string;
  seq: number | null;
  data_json: string | null;
}

/** The message a message event points to. */
export type MessageAt = (conversationId: string, seq: number) => Message;


export function encodeEventData(data: ReceiptData | ConversationData): string {
  return JSON.stringify(data);
}

/** The entry a receipt event at `pos` reads back as, without a round trip through the table. */
export function receiptEntry(pos: number, conversationId: string, data: ReceiptData): StreamEntry {
  return { kind: 'receipt', pos, conversationId, userId: data.user, status: data.status, seq: data.seq };
}

/** The entry a conversation event at `pos` reads back as. */
export function conversationEntry(pos: number, conversationId: string, data: ConversationData): StreamEntry {
  return { kind: 'conversation', pos, conversationId, ...data };
}

export function toStreamEntry(row: EventRow, messageAt: MessageAt): StreamEntry {
  switch (row.kind) {
    case 'message':
      assert(row.seq !== null, `message event ${row.pos} has a seq`);
      return { kind: 'message', pos: row.pos, message: messageAt(row.conversation_id, row.seq) };
    case 'receipt':
      return toReceiptEntry(row);
    case 'conversation':
      return toConversationEntry(row);
    default:
      throw new Error(`Invariant broken: event kind '${row.kind}' is unknown`);
  }
}

function toReceiptEntry(row: EventRow): StreamEntry {
  const data = parseData(row);
  const status = data['status'];
  assert(status === 'delivered' || status === 'read', `receipt status '${String(status)}' is unknown`);
  return {
    kind: 'receipt',
    pos: row.pos,
    conversationId: row.conversation_id,
    // null: a group's aggregate receipt (`ReceiptData.user`).
    userId: data['user'] === null ? null : stringField(data, 'user'),
    status,
    seq: numberField(data, 'seq'),
  };
}

function toConversationEntry(row: EventRow): StreamEntry {
  const data = parseData(row);
  const change = data['change'];
  assert(isConversationChange(change), `conversation change '${String(change)}' is unknown`);
  const members = data['members'];
  assert(Array.isArray(members) && members.every((member): member is string => typeof member === 'string'), 'members is a string list');
  return {
    kind: 'conversation',
    pos: row.pos,
    conversationId: row.conversation_id,
    change,
    conversationKind: toConversationKind(stringField(data, 'conversationKind')),
    members,
    name: stringField(data, 'name'),
    by: stringField(data, 'by'),
  };
}

function isConversationChange(value: unknown): value is ConversationChange {
  return conversationChanges.some((change) => change === value);
}

function parseData(row: EventRow): Record<string, unknown> {
  assert(row.data_json !== null, `event ${row.pos} of kind ${row.kind} has data`);
  const data: unknown = JSON.parse(row.data_json);
  assert(typeof data === 'object' && data !== null && !Array.isArray(data), `event ${row.pos} data is an object`);
  return data as Record<string, unknown>;
}

function stringField(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  assert(typeof value === 'string', `event field ${key} is a string`);
  return value;
}

function numberField(data: Record<string, unknown>, key: string): number {
  const value = data[key];
  assert(typeof value === 'number' && Number.isSafeInteger(value), `event field ${key} is an integer`);
  return value;
}
