import { useEffect, useId, useState } from 'react';
import type { UserView } from '@parley/client';
import { useChatStore } from '../session/use-topic.js';

interface UserPickerProps {
  /** The label of each result's button, e.g. "Chat with" or "Add". */
  action: string;
  onPick: (user: UserView) => void;
  exclude?: readonly string[];
}

/** Finds users by name as the person types, for a new chat or a group's members. */
export function UserPicker({ action, onPick, exclude = [] }: UserPickerProps) {
  const store = useChatStore();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<UserView[]>([]);
  useEffect(() => {
    if (query.trim() === '') {
      setResults([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      store.client.api.searchUsers(query.trim()).then(
        (users) => current && setResults(users),
        () => current && setResults([]),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, store]);
  const shown = results.filter((user) => user.id !== store.me.id && !exclude.includes(user.id));
  return (
    <div className="user-picker">
      <label htmlFor={id}>Find a user</label>
      <input id={id} type="search" value={query} autoComplete="off" onChange={(event) => setQuery(event.target.value)} />
      <ul className="user-results">
        {shown.map((user) => (
          <li key={user.id}>
            <span>
              {user.displayName} <span className="muted">@{user.username}</span>
            </span>
            <button
              type="button"
              onClick={() => {
                store.people.remember(user);
                onPick(user);
              }}
            >
              {action} {user.displayName}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
