/**
 * The column lists the row mappers expect. The mappers themselves
 * (`../rows.ts`, `../stream-entry.ts`) are shared with SQLite:
 * both adapters return rows of the same names and types.
 */
export const userColumns = 'id, username, display_name, created_at, last_seen_setting, last_seen_at';
export const deviceColumns = 'id, user_id, name, created_at, last_active_at, acked_pos';
export const conversationColumns = 'id, kind, name, created_at, created_by, last_seq';
export const memberColumns = 'conversation_id, user_id, role, joined_at, joined_after_seq, left_at_seq, delivered_seq, read_seq';
export const messageColumns = 'conversation_id, seq, id, sender_id, device_id, at, body, key_id';
