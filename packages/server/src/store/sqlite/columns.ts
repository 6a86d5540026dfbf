import { lastSeqOf } from './heads.js';

/** The column lists the row mappers (`../rows.ts`) expect, for SQLite's SELECTs to share. */
export const userColumns = 'id, username, display_name, created_at, last_seen_setting, last_seen_at';
export const deviceColumns = 'id, user_id, name, created_at, last_active_at, acked_pos';
/** For a SELECT from `conversations` without an alias. */
export const conversationColumns = `id, kind, name, created_at, created_by, ${lastSeqOf('conversations.id')} AS last_seq`;
export const memberColumns =
  'conversation_id, user_id, role, joined_at, joined_after_seq, left_at_seq, delivered_seq, read_seq';
export const messageColumns = 'conversation_id, seq, id, sender_id, device_id, at, body, key_id';
