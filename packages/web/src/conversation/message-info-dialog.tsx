import { useEffect, useState } from 'react';
import type { ConversationView } from '@parley/client';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { Ticks } from './ticks.js';

interface MessageInfoDialogProps {
  conversation: string;
  seq: number;
  onClose: () => void;
}

/** Who has received and who has read one of the user's messages: per member in a group. */
export function MessageInfoDialog({ conversation, seq, onClose }: MessageInfoDialogProps) {
  const store = useChatStore();
  useTopic(store, `conversation:${conversation}`);
  useTopic(store, 'users');
  const [details, setDetails] = useState<ConversationView>();
  useEffect(() => {
    let current = true;
    void store.client.loadReceipts(conversation).catch(() => undefined);
    store.client.api.conversation(conversation).then(
      (view) => current && setDetails(view),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [store, conversation]);
  const receipts = store.client.receiptsOf(conversation, seq);
  const message = store.messagesOf(conversation).get(seq);
  const others = (details?.members ?? []).filter((member) => member.user !== store.me.id);
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
          {others.map((member) => {
            const status = receipts.readBy.includes(member.user) ? 'Read' : receipts.deliveredTo.includes(member.user) ? 'Delivered' : 'Not delivered yet';
            return (
              <tr key={member.user}>
                <td>{store.people.nameOf(member.user)}</td>
                <td>{status}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Dialog>
  );
}
