import { useState } from 'react';
import type { ChatSummary } from '../session/conversation-list.js';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { shortWhen } from '../ui/format-time.js';
import { MutedIcon } from '../ui/icons.js';

interface ChatListProps {
  selected: string | undefined;
  onSelect: (conversation: string) => void;
}

/** The conversations, newest activity first, with a search by name. */
export function ChatList({ selected, onSelect }: ChatListProps) {
  const store = useChatStore();
  useTopic(store, 'list');
  useTopic(store, 'users');
  const [query, setQuery] = useState('');
  const needle = query.trim().toLocaleLowerCase();
  const shown = needle === '' ? store.list.all : store.list.all.filter((chat) => chat.name.toLocaleLowerCase().includes(needle));
  return (
    <div className="chat-list">
      <label htmlFor="chat-search" className="visually-hidden">
        Search chats
      </label>
      <input
        id="chat-search"
        className="chat-search"
        type="search"
        placeholder="Search chats"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {shown.length === 0 ? (
        <p className="muted empty">
          {!store.listLoaded ? 'Loading chats…' : needle === '' ? 'No chats yet. Start one with “New chat”.' : 'No chat matches.'}
        </p>
      ) : (
        <ul className="chat-rows" aria-label="Chat list">
          {shown.map((chat) => (
            <li key={chat.id}>
              <ChatRow chat={chat} selected={chat.id === selected} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ChatRow({ chat, selected, onSelect }: { chat: ChatSummary; selected: boolean; onSelect: (id: string) => void }) {
  const store = useChatStore();
  const typing = store.client.typingIn(chat.id).filter((user) => user !== store.me.id);
  const muted = store.isMuted(chat.id);
  const pending = store.pendingIn(chat.id).at(-1);
  const preview = previewOf(chat, typing, pending?.body.text, (user) => store.people.nameOf(user), store.me.id);
  const at = chat.preview?.at ?? chat.lastMessageAt;
  return (
    <button type="button" className="chat-row" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(chat.id)}>
      <span className="avatar" aria-hidden="true">
        {initialsOf(chat.name)}
      </span>
      <span className="chat-row-main">
        <span className="chat-row-top">
          <span className="chat-name">{chat.name}</span>
          {at !== undefined && <span className="chat-time">{shortWhen(at)}</span>}
        </span>
        <span className="chat-row-bottom">
          <span className={typing.length > 0 ? 'chat-preview typing' : 'chat-preview'}>{preview}</span>
          {muted && (
            <span className="muted-mark" role="img" aria-label="Muted">
              <MutedIcon />
            </span>
          )}
          {chat.unread > 0 && (
            <span className="unread">
              {chat.unread}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </span>
      </span>
    </button>
  );
}

function previewOf(chat: ChatSummary, typing: string[], pendingText: string | undefined, nameOf: (user: string) => string, me: string): string {
  if (typing.length > 0) return chat.type === 'group' ? `${typing.map(nameOf).join(', ')} typing…` : 'typing…';
  if (pendingText !== undefined) return `You: ${pendingText}`;
  if (chat.preview === undefined) return chat.lastSeq === 0 ? 'No messages yet' : '';
  const who = chat.preview.sender === me ? 'You: ' : chat.type === 'group' ? `${nameOf(chat.preview.sender)}: ` : '';
  return `${who}${chat.preview.text}`;
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  return words.slice(0, 2).map((word) => [...word][0]?.toUpperCase() ?? '').join('') || '?';
}
