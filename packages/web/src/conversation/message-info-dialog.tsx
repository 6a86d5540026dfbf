import { useEffect, useState } from 'react';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { Ticks } from './ticks.js';

interface MessageInfoDialogProps {
  conversation: string;
  seq: number;
  onClose: () => void;
}

/**
 * Who has received and who has read one of the user's messages, per member:
 * loaded when the panel opens, and followed live while it is open (in a
 * group the stream only says when everyone has).
 */
export function MessageInfoDialog({ conversation, seq, onClose }: MessageInfoDialogProps) {
  const store = useChatStore();
  useTopic(store, `conversation:${conversation}`);
  useTopic(store, 'users');
  const [recipients, setRecipients] = useState<string[]>();
  useEffect(() => {
    let current = true;
    const { client } = store;
    // Watching first: a move between the load and the watch would otherwise be missed.
    client.watchReceipts(conversation);
    client.loadReceiptDetail(conversation, seq).then(
      (view) => current && setRecipients(view.members.map((member) => member.user)),
      () => undefined,
    );
    return () => {
      current = false;
      client.watchReceipts(null);
    };
  }, [store, conversation, seq]);
  const receipts = store.client.receiptsOf(conversation, seq);
  const message = store.messagesOf(conversation).get(seq);
  return (
    <Dialog title="Message info" onClose={onClose}>
      {message !== undefined && <blockquote className="info-quote">{message.body.text}</blockquote>}
      <p>
        Status: <Ticks status={receipts.status} /> {receipts.status}
      </p>
      <table className="receipt-table">
        <caption className="visually-hidden">Receipts by member</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {(recipients ?? []).map((user) => {
            const status = receipts.readBy.includes(user) ? 'Read' : receipts.deliveredTo.includes(user) ? 'Delivered' : 'Not delivered yet';
            return (
              <tr key={user}>
                <td>{store.people.nameOf(user)}</td>
                <td>{status}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Dialog>
  );
}
