/** Domain → HTTP response shapes, in one file. */
import type {
  ConversationSummaryView,
  ConversationView,
  DeviceView,
  MeView,
  MemberView,
  MessageReceiptsView,
  MessageView,
  UserView,
} from '@parley/protocol';
import type { RecipientReceipt } from '../chat/message-recipients.js';
import type { Conversation, ConversationSummary, Device, Member, Message, User } from '../chat/model.js';

export const userView = (user: User): UserView => ({ id: user.id, username: user.username, displayName: user.displayName });

export const meView = (user: User): MeView => ({ ...userView(user), createdAt: user.createdAt, lastSeen: user.lastSeen });

export const deviceView = (device: Device, currentDeviceId: string, online: boolean): DeviceView => ({
  id: device.id,
  name: device.name,
  createdAt: device.createdAt,
  lastActiveAt: device.lastActiveAt,
  current: device.id === currentDeviceId,
  online,
});

const memberView = (member: Member): MemberView => ({
  user: member.userId,
  role: member.role,
  deliveredSeq: member.deliveredSeq,
  readSeq: member.readSeq,
});

export const conversationView = (conversation: Conversation, members: Member[]): ConversationView => ({
  id: conversation.id,
  type: conversation.kind,
  name: conversation.name,
  createdAt: conversation.createdAt,
  lastSeq: conversation.lastSeq,
  members: members.map(memberView),
});

/** `now` decides whether a mute still holds: an ended one is not shown. */
export const conversationSummaryView = (summary: ConversationSummary, now: number): ConversationSummaryView => ({
  id: summary.conversation.id,
  type: summary.conversation.kind,
  name: summary.peer?.displayName ?? summary.conversation.name,
  ...(summary.peer === null ? {} : { peer: summary.peer.id }),
  lastSeq: summary.conversation.lastSeq,
  readSeq: summary.readSeq,
  unread: summary.unread,
  ...(summary.lastMessageAt === null ? {} : { lastMessageAt: summary.lastMessageAt }),
  ...(summary.mutedUntil === null || summary.mutedUntil <= now ? {} : { mutedUntil: summary.mutedUntil }),
});

export const messageView = (message: Message): MessageView => ({
  conversation: message.conversationId,
  seq: message.seq,
  id: message.id,
  sender: message.senderId,
  device: message.deviceId,
  at: message.at,
  body: JSON.parse(message.bodyJson) as MessageView['body'],
  ...(message.unreadable === true ? { unreadable: true } : {}),
});

export const messageReceiptsView = (conversationId: string, seq: number, recipients: RecipientReceipt[]): MessageReceiptsView => ({
  conversation: conversationId,
  seq,
  members: recipients.map((recipient) => ({ user: recipient.userId, delivered: recipient.delivered, read: recipient.read })),
});
