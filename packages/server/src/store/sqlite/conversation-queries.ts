import type Database from 'better-sqlite3';
import type { Conversation, ConversationSummary, Member } from '../../chat/model.js';
import { directPairKey } from '../../chat/direct-pair.js';
import type { DirectDeliveredSeqs } from './direct-delivered-seqs.js';
import type { NewDirectConversation } from '../../chat/store-port.js';
import { lastSeqOf } from './heads.js';
import { unreadOf } from './unread.js';
import { toConversation, toMember, toUser } from '../rows.js';
import { conversationColumns, memberColumns } from './columns.js';
import type { ConversationRow, MemberRow } from '../rows.js';
import type { StreamQueries } from './stream-queries.js';

/** Memberships kept in memory at most; past it they are all forgotten and read again. */
const membersInMemoryMax = 200_000;
/** Current members' ids kept in memory at most, over all conversations; past it they are all forgotten and read again. */
const currentMemberIdsInMemoryMax = 200_000;

interface SummaryRow extends ConversationRow {
  read_seq: number;
  unread: number;
  last_message_at: number | null;
  muted_until: number | null;
  peer_id: string | null;
  peer_username: string;
  peer_display_name: string;
  peer_created_at: number;
  peer_last_seen_setting: string;
  peer_last_seen_at: number | null;
}

/**
 * Unread as `unreadOf` counts it; only current members are listed, so
 * nothing is past their leaving. Activity is the newest visible message, or the creation or join. A group
 * has no peer: the peer join is for direct conversations only.
 */
const summariesSql = `
  SELECT c.id, c.kind, c.name, c.created_at, c.created_by, ${lastSeqOf('c.id')} AS last_seq, m.read_seq,
         ${unreadOf('m')} AS unread,
         (SELECT x.at FROM messages x
          WHERE x.conversation_id = c.id AND x.seq > m.joined_after_seq
          ORDER BY x.seq DESC LIMIT 1) AS last_message_at, m.muted_until,
         p.id AS peer_id, p.username AS peer_username, p.display_name AS peer_display_name,
         p.created_at AS peer_created_at, p.last_seen_setting AS peer_last_seen_setting,
         p.last_seen_at AS peer_last_seen_at
  FROM members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN members pm ON c.kind = 'direct' AND pm.conversation_id = c.id AND pm.user_id <> m.user_id
  LEFT JOIN users p ON p.id = pm.user_id
  WHERE m.user_id = ? AND m.left_at_seq IS NULL
  ORDER BY max(coalesce(last_message_at, c.created_at), m.joined_at) DESC, c.id`;

export class ConversationQueries {
  private readonly selectConversation;
  private readonly selectDirect;
  private readonly insertConversation;
  private readonly insertDirectMember;
  private readonly selectMember;
  private readonly selectMembers;
  private readonly selectMemberIds;
  private readonly selectSummaries;
  private readonly selectCurrentMemberIds;
  /** Memberships read inside writes, by conversation then user; null: not a member. */
  private readonly members = new Map<string, Map<string, Member | null>>();
  private membersHeld = 0;
  /** The current members of conversations that appends wrote to, read inside writes like `members`. */
  private readonly currentMembers = new Map<string, readonly string[]>();
  private currentMemberIdsHeld = 0;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
    private readonly deliveredSeqs: DirectDeliveredSeqs,
  ) {
    this.selectConversation = db.prepare<[string], ConversationRow>(
      `SELECT ${conversationColumns} FROM conversations WHERE id = ?`,
    );
    this.selectDirect = db.prepare<[string], ConversationRow>(
      `SELECT ${conversationColumns} FROM conversations WHERE direct_key = ?`,
    );
    this.insertConversation = db.prepare<[ConversationRow & { direct_key: string | null }]>(
      `INSERT INTO conversations (id, kind, name, created_at, created_by, direct_key)
       VALUES (@id, @kind, @name, @created_at, @created_by, @direct_key)`,
    );
    this.insertDirectMember = db.prepare<[{ conversationId: string; userId: string; role: string; joinedAt: number }]>(
      `INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq, in_group)
       VALUES (@conversationId, @userId, @role, @joinedAt, 0, 0)`,
    );
    this.selectMember = db.prepare<[string, string], MemberRow>(
      `SELECT ${memberColumns} FROM members WHERE conversation_id = ? AND user_id = ?`,
    );
    this.selectMembers = db.prepare<[string], MemberRow>(
      `SELECT ${memberColumns} FROM members WHERE conversation_id = ? ORDER BY joined_at, user_id`,
    );
    this.selectMemberIds = db.prepare<[string], { user_id: string }>('SELECT user_id FROM members WHERE conversation_id = ?');
    this.selectCurrentMemberIds = db.prepare<[string], { user_id: string }>(
      'SELECT user_id FROM members WHERE conversation_id = ? AND left_at_seq IS NULL',
    );
    this.selectSummaries = db.prepare<[string], SummaryRow>(summariesSql);
  }

  openDirect(draft: NewDirectConversation): { conversation: Conversation; created: boolean } {
    const directKey = directPairKey(draft.userIds);
    const existing = this.selectDirect.get(directKey);
    if (existing !== undefined) return { conversation: toConversation(existing), created: false };

    const row: ConversationRow = {
      id: draft.id,
      kind: 'direct',
      name: '',
      created_at: draft.createdAt,
      created_by: draft.createdBy,
      last_seq: 0,
    };
    this.insertConversation.run({ ...row, direct_key: directKey });
    for (const userId of draft.userIds) {
      this.insertDirectMember.run({ conversationId: draft.id, userId, role: 'member', joinedAt: draft.createdAt });
    }
    for (const userId of draft.userIds) {
      this.streams.appendConversationEvent(userId, draft.id, {
        change: 'created',
        conversationKind: 'direct',
        members: [...draft.userIds],
        name: '',
        by: draft.createdBy,
      });
    }
    return { conversation: toConversation(row), created: true };
  }

  get(id: string): Conversation | undefined {
    const row = this.selectConversation.get(id);
    return row === undefined ? undefined : toConversation(row);
  }

  /**
   * Inside writes, memberships are read from memory: every append and ack
   * checks one. Writes that change memberships other than through
   * `noteDeliveredSeq`/`noteReadSeq` must call `forgetMembers` before and after.
   */
  getMember(conversationId: string, userId: string): Member | undefined {
    const known = this.peekMember(conversationId, userId);
    // A copy: a rule compares what it read with what its write then made.
    return known === undefined ? undefined : { ...known };
  }

  /** The member as kept in memory, for reads that change nothing (every ack makes a few). */
  peekMember(conversationId: string, userId: string): Readonly<Member> | undefined {
    // Nested maps, not one keyed by the two ids joined: a joined key is a new string to build and hash on every lookup.
    let known = this.members.get(conversationId)?.get(userId);
    if (known === undefined) {
      const row = this.selectMember.get(conversationId, userId);
      known = row === undefined ? null : this.withDeliveredSeq(toMember(row));
      this.rememberMember(conversationId, userId, known);
    }
    return known ?? undefined;
  }

  private rememberMember(conversationId: string, userId: string, member: Member | null): void {
    if (this.membersHeld >= membersInMemoryMax) {
      this.members.clear();
      this.membersHeld = 0;
    }
    let ofConversation = this.members.get(conversationId);
    if (ofConversation === undefined) {
      ofConversation = new Map();
      this.members.set(conversationId, ofConversation);
    }
    ofConversation.set(userId, member);
    this.membersHeld += 1;
  }

  /** The delivered seq a write just raised to at least `seq`. */
  noteDeliveredSeq(conversationId: string, userId: string, seq: number): void {
    const member = this.members.get(conversationId)?.get(userId);
    if (member) member.deliveredSeq = Math.max(member.deliveredSeq, seq);
  }

  /** The read seq a write just set to `seq`, and the delivered seq raised to it. */
  noteReadSeq(conversationId: string, userId: string, seq: number): void {
    const member = this.members.get(conversationId)?.get(userId);
    if (!member) return;
    member.readSeq = seq;
    member.deliveredSeq = Math.max(member.deliveredSeq, seq);
  }

  forgetMembers(): void {
    this.members.clear();
    this.membersHeld = 0;
    this.currentMembers.clear();
    this.currentMemberIdsHeld = 0;
  }

  /**
   * The ids of the current members, kept in memory like `peekMember`: every
   * append reads them, and only writes that call `forgetMembers` change them.
   */
  currentMemberIds(conversationId: string): readonly string[] {
    let ids = this.currentMembers.get(conversationId);
    if (ids === undefined) {
      ids = this.selectCurrentMemberIds.all(conversationId).map((row) => row.user_id);
      // Counted in ids, not conversations: a thousand large groups hold as many as half a million direct chats.
      if (this.currentMemberIdsHeld + ids.length > currentMemberIdsInMemoryMax) {
        this.currentMembers.clear();
        this.currentMemberIdsHeld = 0;
      }
      this.currentMembers.set(conversationId, ids);
      this.currentMemberIdsHeld += ids.length;
    }
    return ids;
  }

  listMembers(conversationId: string): Member[] {
    return this.selectMembers.all(conversationId).map((row) => this.withDeliveredSeq(toMember(row)));
  }

  /** A member read from `members`, with the delivered seq an ack raised since (direct chats). */
  private withDeliveredSeq(member: Member): Member {
    member.deliveredSeq = this.deliveredSeqs.overlay(member.conversationId, member.userId, member.deliveredSeq);
    return member;
  }

  /** The members, current and former. */
  memberIds(conversationId: string): string[] {
    return this.selectMemberIds.all(conversationId).map((row) => row.user_id);
  }

  list(userId: string): ConversationSummary[] {
    return this.selectSummaries.all(userId).map((row) => ({
      conversation: toConversation(row),
      peer:
        row.peer_id === null
          ? null
          : toUser({
              id: row.peer_id,
              username: row.peer_username,
              display_name: row.peer_display_name,
              created_at: row.peer_created_at,
              last_seen_setting: row.peer_last_seen_setting,
              last_seen_at: row.peer_last_seen_at,
            }),
      readSeq: row.read_seq,
      unread: row.unread,
      lastMessageAt: row.last_message_at,
      mutedUntil: row.muted_until,
    }));
  }
}
