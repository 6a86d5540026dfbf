import { describe, expect, it } from 'vitest';
import { messageRecipients } from './message-recipients.js';
import type { Member } from './model.js';

function member(userId: string, fields: Partial<Member> = {}): Member {
  return { conversationId: 'c_1', userId, role: 'member', joinedAt: 0, joinedAfterSeq: 0, leftAtSeq: null, deliveredSeq: 0, readSeq: 0, ...fields };
}

describe('messageRecipients', () => {
  it('says per member other than the sender whether the message was delivered and read', () => {
    const members = [member('u_alice'), member('u_carol', { deliveredSeq: 5, readSeq: 3 }), member('u_bob', { deliveredSeq: 4, readSeq: 4 })];
    expect(messageRecipients(members, { seq: 4, senderId: 'u_alice' })).toEqual([
      { userId: 'u_bob', delivered: true, read: true },
      { userId: 'u_carol', delivered: true, read: false },
    ]);
  });

  it('leaves out who joined after the message and who was removed before it, and keeps who was removed after', () => {
    const members = [
      member('u_alice'),
      member('u_dave', { joinedAfterSeq: 4 }),
      member('u_erin', { leftAtSeq: 3 }),
      member('u_fred', { leftAtSeq: 4, deliveredSeq: 4 }),
    ];
    expect(messageRecipients(members, { seq: 4, senderId: 'u_alice' })).toEqual([{ userId: 'u_fred', delivered: true, read: false }]);
  });
});
