/**
 * Rows as both adapters return them (the same column names and types), and
 * their mapping to the domain model. The CHECK constraints of the schemas
 * keep the enumerated columns in range; the mappers assert it rather than
 * trust a cast. Each adapter's `columns.ts` lists the columns to select.
 */
import type { RowCipher } from '../keys/row-cipher.js';
import type { ConversationKind, LastSeenSetting } from '@parley/protocol';
import type { Conversation, Device, Member, MemberRole, Message, User } from '../chat/model.js';
import { assert } from '../lib/assert.js';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  created_at: number;
  last_seen_setting: string;
  last_seen_at: number | null;
}

export interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_active_at: number;
  acked_pos: number;
}

export interface ConversationRow {
  id: string;
  kind: string;
  name: string;
  created_at: number;
  created_by: string;
  last_seq: number;
}

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: string;
  joined_at: number;
  joined_after_seq: number;
  left_at_seq: number | null;
  delivered_seq: number;
  read_seq: number;
}

export interface MessageRow {
  conversation_id: string;
  seq: number;
  id: string;
  sender_id: string;
  device_id: string;
  at: number;
  /** Sealed with `key_id` (see RowCipher), or plain UTF-8 JSON when `key_id` is 0. */
  body: Buffer;
  key_id: number;
}


/** A device joined with its user, as a token lookup reads them. */
export interface AuthenticationRow extends UserRow {
  device_id: string;
  device_name: string;
  device_created_at: number;
  last_active_at: number;
  acked_pos: number;
}

export function toAuthenticated(row: AuthenticationRow): { device: Device; user: User } {
  const device: Device = {
    id: row.device_id,
    userId: row.id,
    name: row.device_name,
    createdAt: row.device_created_at,
    lastActiveAt: row.last_active_at,
    ackedPos: row.acked_pos,
  };
  return { device, user: toUser(row) };
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    createdAt: row.created_at,
    lastSeen: toLastSeen(row.last_seen_setting),
    lastSeenAt: row.last_seen_at,
  };
}

export function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    lastActiveAt: row.last_active_at,
    ackedPos: row.acked_pos,
  };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    kind: toConversationKind(row.kind),
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastSeq: row.last_seq,
  };
}

export function toMember(row: MemberRow): Member {
  assert(row.role === 'admin' || row.role === 'member', `member role '${row.role}' is unknown`);
  const role: MemberRole = row.role;
  return {
    conversationId: row.conversation_id,
    userId: row.user_id,
    role,
    joinedAt: row.joined_at,
    joinedAfterSeq: row.joined_after_seq,
    leftAtSeq: row.left_at_seq,
    deliveredSeq: row.delivered_seq,
    readSeq: row.read_seq,
  };
}

export function toMessage(row: MessageRow, bodies: RowCipher): Message {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    id: row.id,
    senderId: row.sender_id,
    deviceId: row.device_id,
    at: row.at,
    ...bodies.openBodyOrPlaceholder(row),
  };
}

export function toConversationKind(kind: string): ConversationKind {
  assert(kind === 'direct' || kind === 'group', `conversation kind '${kind}' is unknown`);
  return kind;
}

function toLastSeen(setting: string): LastSeenSetting {
  assert(setting === 'everyone' || setting === 'nobody', `last-seen setting '${setting}' is unknown`);
  return setting;
}
