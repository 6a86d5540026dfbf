import { useState, type KeyboardEvent } from 'react';
import { useChatStore } from '../session/use-topic.js';

/** The message box grows with the lines typed, up to this many; then it scrolls. */
const composerRowsMax = 6;

/** The message box: Enter sends, Shift+Enter breaks the line; typing is announced to the others. */
export function Composer({ conversation, onSent }: { conversation: string; onSent: () => void }) {
  const store = useChatStore();
  const [text, setText] = useState('');

  function send() {
    if (text.trim() === '') return;
    store.send(conversation, text);
    setText('');
    onSent();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor="composer-text" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-text"
        rows={Math.min(composerRowsMax, text.split('\n').length)}
        placeholder="Type a message"
        value={text}
        onKeyDown={onKeyDown}
        onChange={(event) => {
          setText(event.target.value);
          store.client.setTyping(conversation, event.target.value !== '');
        }}
        onBlur={() => store.client.setTyping(conversation, false)}
      />
      <button type="submit" className="primary" disabled={text.trim() === ''}>
        Send
      </button>
    </form>
  );
}
