import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageView, PendingSend } from '@parley/client';
import type { FailedSend } from '../session/chat-store.js';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { dayOf, sameDay, timeOf } from '../ui/format-time.js';
import { InfoIcon } from '../ui/icons.js';
import { Ticks } from './ticks.js';

interface MessageListProps {
  conversation: string;
  isGroup: boolean;
  /** The first seq that was unread when the conversation was opened, if any. */
  firstUnread: number | undefined;
  /** Grows each time the user sends: the list scrolls to the newest message. */
  sendCount: number;
  onInfo: (seq: number) => void;
}

const estimatedRowPx = 56;
/** Within this many pixels of the end the list counts as at the bottom and follows new messages. */
const stickToBottomPx = 80;

/**
 * The conversation's whole history as one virtualized list, one row per seq
 * (seqs are dense), then the pending sends: only the rows on screen are
 * rendered, and the pages they need are fetched as they scroll into view.
 */
export function MessageList({ conversation, isGroup, firstUnread, sendCount, onInfo }: MessageListProps) {
  const store = useChatStore();
  useTopic(store, `conversation:${conversation}`);
  useTopic(store, 'users');
  useTopic(store, 'connection');
  const messages = store.messagesOf(conversation);
  const lastSeq = Math.max(store.list.get(conversation)?.lastSeq ?? 0, messages.highestSeq);
  const pending = store.pendingIn(conversation);
  const failed = store.failedIn(conversation);
  const count = lastSeq + pending.length + failed.length;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [shownUnread, setShownUnread] = useState(firstUnread !== undefined);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimatedRowPx,
    overscan: 12,
    getItemKey: (index) => (index < lastSeq ? index + 1 : ([...pending, ...failed][index - lastSeq]?.id ?? index)),
  });
  const items = virtualizer.getVirtualItems();

  // Follow new messages while at the bottom; a person reading older ones is not pulled away.
  useLayoutEffect(() => {
    if (atBottom.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  useEffect(() => {
    atBottom.current = true;
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    // Only on a send: the count effect above covers arrivals.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sendCount]);

  const first = items[0]?.index;
  const last = items.at(-1)?.index;
  const cacheRead = messages.cacheRead;
  // Rows that could not load while offline ask again once the client is back.
  const connectivity = store.connectivity;
  useEffect(() => {
    if (first === undefined || last === undefined || !cacheRead) return;
    for (let index = Math.min(last, lastSeq - 1); index >= first; index -= 1) {
      if (!messages.known(index + 1)) {
        void store.loadPage(conversation, index + 1);
        index = Math.ceil((index + 1) / 100) * 100 - 100;
      }
    }
  }, [first, last, lastSeq, messages, store, conversation, cacheRead, connectivity]);

  return (
    <div className="message-scroller-wrap">
      <div
        ref={scroller}
        className="message-scroller"
        role="log"
        aria-label="Messages"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < stickToBottomPx;
        }}
      >
        <div className="message-rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const seq = item.index + 1;
            const send = item.index >= lastSeq ? pending[item.index - lastSeq] : undefined;
            const refused = item.index >= lastSeq + pending.length ? failed[item.index - lastSeq - pending.length] : undefined;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-row" style={{ transform: `translateY(${item.start}px)` }}>
                {refused !== undefined ? (
                  <FailedBubble send={refused} />
                ) : send !== undefined ? (
                  <PendingBubble send={send} />
                ) : (
                  <Row
                    conversation={conversation}
                    seq={seq}
                    message={messages.get(seq)}
                    previous={messages.get(seq - 1)}
                    absent={messages.isAbsent(seq)}
                    isGroup={isGroup}
                    unreadMarker={seq === firstUnread}
                    onInfo={onInfo}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {shownUnread && firstUnread !== undefined && !items.some((item) => item.index === firstUnread - 1) && (
        <button
          type="button"
          className="jump-unread"
          onClick={() => {
            atBottom.current = false;
            virtualizer.scrollToIndex(firstUnread - 1, { align: 'start' });
            setShownUnread(false);
          }}
        >
          Jump to first unread
        </button>
      )}
    </div>
  );
}

interface RowProps {
  conversation: string;
  seq: number;
  message: MessageView | undefined;
  previous: MessageView | undefined;
  absent: boolean;
  isGroup: boolean;
  unreadMarker: boolean;
  onInfo: (seq: number) => void;
}

function Row({ conversation, seq, message, previous, absent, isGroup, unreadMarker, onInfo }: RowProps) {
  const store = useChatStore();
  if (absent) return <div className="message-absent" />;
  if (message === undefined) return <div className="message-loading" aria-hidden="true" />;
  const mine = message.sender === store.me.id;
  const newDay = seq === 1 || (previous !== undefined && !sameDay(previous.at, message.at));
  return (
    <>
      {newDay && <p className="day-separator">{dayOf(message.at)}</p>}
      {unreadMarker && <p className="unread-separator">Unread messages</p>}
      <div className={mine ? 'bubble mine' : 'bubble theirs'} data-seq={seq}>
        {isGroup && !mine && <p className="bubble-sender">{store.people.nameOf(message.sender)}</p>}
        <p className="bubble-text">{message.body.text}</p>
        <p className="bubble-meta">
          <time dateTime={new Date(message.at).toISOString()}>{timeOf(message.at)}</time>
          {mine && <Ticks status={store.client.receiptsOf(conversation, seq).status} />}
          {mine && (
            <button type="button" className="info-button" aria-label={`Message info: ${message.body.text.slice(0, 40)}`} onClick={() => onInfo(seq)}>
              <InfoIcon />
            </button>
          )}
        </p>
      </div>
    </>
  );
}

function FailedBubble({ send }: { send: FailedSend }) {
  const store = useChatStore();
  return (
    <div className="bubble mine failed" role="group" aria-label="Message not sent">
      <p className="bubble-text">{send.text}</p>
      <p className="error" role="alert">
        Not sent: {send.reason}
      </p>
      <p className="bubble-meta">
        <button type="button" onClick={() => store.retryFailed(send.id, true)}>
          Send again
        </button>
        <button type="button" onClick={() => store.retryFailed(send.id, false)}>
          Dismiss
        </button>
      </p>
    </div>
  );
}

function PendingBubble({ send }: { send: PendingSend }) {
  return (
    <div className="bubble mine pending">
      <p className="bubble-text">{send.body.text}</p>
      <p className="bubble-meta">
        <time dateTime={new Date(send.createdAt).toISOString()}>{timeOf(send.createdAt)}</time>
        <Ticks status="pending" />
      </p>
    </div>
  );
}
