import { useEffect, useState } from 'react';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { lastSeenOf } from '../ui/format-time.js';
import { Composer } from './composer.js';
import { ConversationInfoDialog } from './conversation-info-dialog.js';
import { MessageInfoDialog } from './message-info-dialog.js';
import { MessageList } from './message-list.js';

interface ConversationViewProps {
  conversation: string;
  onBack: () => void;
  onLeft: () => void;
}

/** One open conversation: header with presence or typing, the messages, the composer. */
export function ConversationView({ conversation, onBack, onLeft }: ConversationViewProps) {
  const store = useChatStore();
  useTopic(store, `conversation:${conversation}`);
  useTopic(store, 'list');
  useTopic(store, 'users');
  const summary = store.list.get(conversation);
  const [firstUnread] = useState(() =>
    summary !== undefined && summary.unread > 0 && summary.readSeq < summary.lastSeq ? summary.readSeq + 1 : undefined,
  );
  const [sendCount, setSendCount] = useState(0);
  const [infoSeq, setInfoSeq] = useState<number>();
  const [showInfo, setShowInfo] = useState(false);

  useEffect(() => {
    void store.open(conversation).then(() => {
      if (store.reading === conversation) store.markRead(conversation);
    });
  }, [store, conversation]);

  const isGroup = summary?.type === 'group';
  const name = summary?.name ?? '';
  return (
    <section className="conversation" aria-label={`Chat with ${name}`}>
      <header className="conversation-header">
        <button type="button" className="back-button icon-button" aria-label="Back to chats" onClick={onBack}>
          ←
        </button>
        <div className="conversation-title">
          <h2>{name}</h2>
          <p className="muted subtitle" aria-live="polite">
            {subtitleOf(store, conversation, isGroup, summary?.peer)}
          </p>
        </div>
        <button type="button" onClick={() => void store.setMuted(conversation, !store.isMuted(conversation))}>
          {store.isMuted(conversation) ? 'Unmute' : 'Mute'}
        </button>
        <button type="button" onClick={() => setShowInfo(true)}>
          {isGroup ? 'Group info' : 'Contact info'}
        </button>
      </header>
      <MessageList
        conversation={conversation}
        isGroup={isGroup}
        firstUnread={firstUnread}
        sendCount={sendCount}
        onInfo={(seq) => setInfoSeq(seq)}
      />
      <Composer conversation={conversation} onSent={() => setSendCount((count) => count + 1)} />
      {infoSeq !== undefined && <MessageInfoDialog conversation={conversation} seq={infoSeq} onClose={() => setInfoSeq(undefined)} />}
      {showInfo && (
        <ConversationInfoDialog
          conversation={conversation}
          onClose={() => setShowInfo(false)}
          onLeft={() => {
            setShowInfo(false);
            onLeft();
          }}
        />
      )}
    </section>
  );
}

function subtitleOf(store: ReturnType<typeof useChatStore>, conversation: string, isGroup: boolean, peer: string | undefined): string {
  const typing = store.client.typingIn(conversation).filter((user) => user !== store.me.id);
  if (typing.length > 0) return isGroup ? `${typing.map((user) => store.people.nameOf(user)).join(', ')} typing…` : 'typing…';
  if (isGroup || peer === undefined) return isGroup ? 'Group' : '';
  if (store.people.isBlocked(peer)) return 'Blocked';
  const presence = store.people.presenceOf(peer);
  if (presence?.online === true) return 'online';
  return presence?.lastSeen === undefined ? '' : lastSeenOf(presence.lastSeen);
}
