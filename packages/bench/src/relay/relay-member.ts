/** A message the relay has passed on, until every recipient has acked past it. */
interface RelayedMessage {
  conversation: string;
  seq: number;
  sender: RelayMember;
  /** Recipients (members other than the sender) when it was relayed. */
  recipients: number;
  /** Recipients that have not acked past it yet. */
  awaiting: number;
}

/** One socket of the relay: a user in its conversations, with its own stream of pos. */
export interface RelayMember {
  send: (text: string) => void;
  user: string;
  /** The newest pos of this socket's stream. */
  pos: number;
  /** Messages written to this socket and not acked yet, oldest first. */
  unacked: { pos: number; message: RelayedMessage }[];
}

export function newMember(user: string, send: (text: string) => void): RelayMember {
  return { send, user, pos: 0, unacked: [] };
}

/**
 * Writes a `message` event to every member (the sender's own socket too, as
 * the server does), each with its own pos; `frameTail` is the frame after
 * the pos, serialised once and shared.
 */
export function relayMessage(sender: RelayMember, conversation: string, seq: number, members: Iterable<RelayMember>, frameTail: string): void {
  const message: RelayedMessage = { conversation, seq, sender, recipients: 0, awaiting: 0 };
  for (const member of members) {
    member.pos++;
    if (member !== sender) {
      message.recipients++;
      member.unacked.push({ pos: member.pos, message });
    }
    member.send(`{"type":"message","pos":${member.pos}${frameTail}`);
  }
  message.awaiting = message.recipients;
}

/**
 * A cumulative ack of `pos` by `member`. A message is delivered once every
 * recipient has acked past it; its sender then gets one `delivered` receipt,
 * cumulative like the protocol's, for the newest message of the
 * conversation this ack completed. With one recipient (a direct
 * conversation) the receipt names the recipient, as 1:1 receipts do; with
 * more (a group) it is the aggregate `"all":true` without a user: the group
 * receipts that replace one receipt per member, so the relays do the work
 * the protocol will ask of the server, not the work it is dropping.
 */
export function acknowledge(member: RelayMember, pos: number): void {
  let covered = 0;
  let completed: Map<string, RelayedMessage> | undefined;
  for (const { pos: deliveredPos, message } of member.unacked) {
    if (deliveredPos > pos) break;
    covered++;
    if (--message.awaiting > 0) continue;
    completed ??= new Map();
    // Later messages overwrite earlier ones: one receipt per sender and conversation covers them all.
    completed.set(`${message.sender.user}\n${message.conversation}`, message);
  }
  member.unacked.splice(0, covered);
  for (const message of completed?.values() ?? []) sendReceipt(message, member);
}

function sendReceipt(message: RelayedMessage, lastRecipient: RelayMember): void {
  const { sender } = message;
  sender.pos++;
  const who = message.recipients === 1 ? `"user":${JSON.stringify(lastRecipient.user)}` : '"all":true';
  sender.send(
    `{"type":"receipt","pos":${sender.pos},"conversation":${JSON.stringify(message.conversation)},${who},"status":"delivered","seq":${message.seq}}`,
  );
}
