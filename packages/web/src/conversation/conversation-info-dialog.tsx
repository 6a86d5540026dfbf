import { useCallback, useEffect, useState } from 'react';
import type { ConversationView } from '@parley/client';
import { useChatStore, useTopic } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { errorText } from '../ui/error-text.js';
import { UserPicker } from '../ui/user-picker.js';

interface ConversationInfoDialogProps {
  conversation: string;
  onClose: () => void;
  onLeft: () => void;
}

/** A group's members and admins (add, remove, leave), or a direct chat's contact (block). */
export function ConversationInfoDialog({ conversation, onClose, onLeft }: ConversationInfoDialogProps) {
  const store = useChatStore();
  useTopic(store, 'users');
  const [details, setDetails] = useState<ConversationView>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    store.client.api.conversation(conversation).then(setDetails, (failure: unknown) => setError(errorText(failure)));
  }, [store, conversation]);
  useEffect(reload, [reload]);

  async function act(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      reload();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  if (details === undefined) {
    return (
      <Dialog title="Info" onClose={onClose}>
        {error === undefined ? <p>Loading…</p> : <p className="error" role="alert">{error}</p>}
      </Dialog>
    );
  }
  const amAdmin = details.members.some((member) => member.user === store.me.id && member.role === 'admin');
  if (details.type === 'direct') {
    const peer = details.members.find((member) => member.user !== store.me.id)?.user;
    const blocked = peer !== undefined && store.people.isBlocked(peer);
    return (
      <Dialog title="Contact info" onClose={onClose}>
        <p className="info-name">{peer === undefined ? details.name : store.people.nameOf(peer)}</p>
        {peer !== undefined && (
          <button type="button" className="danger" onClick={() => void act(() => store.people.setBlocked(peer, !blocked))}>
            {blocked ? 'Unblock' : 'Block'} {store.people.nameOf(peer)}
          </button>
        )}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
      </Dialog>
    );
  }
  return (
    <Dialog title="Group info" onClose={onClose}>
      <p className="info-name">{details.name}</p>
      <h3>{details.members.length} members</h3>
      <ul className="member-list" aria-label="Members">
        {details.members.map((member) => (
          <li key={member.user}>
            <span>
              {member.user === store.me.id ? 'You' : store.people.nameOf(member.user)}
              {member.role === 'admin' && <span className="admin-mark"> · admin</span>}
            </span>
            {amAdmin && member.user !== store.me.id && (
              <span className="member-actions">
                <button
                  type="button"
                  onClick={() => void act(() => store.client.api.setAdmin(conversation, member.user, member.role !== 'admin'))}
                >
                  {member.role === 'admin' ? 'Dismiss as admin' : 'Make admin'}: {store.people.nameOf(member.user)}
                </button>
                <button type="button" onClick={() => void act(() => store.client.api.removeMember(conversation, member.user))}>
                  Remove {store.people.nameOf(member.user)}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {amAdmin && (
        <UserPicker
          action="Add"
          exclude={details.members.map((member) => member.user)}
          onPick={(user) => void act(() => store.client.api.addMembers(conversation, [user.id]))}
        />
      )}
      {error !== undefined && <p className="error" role="alert">{error}</p>}
      <button
        type="button"
        className="danger"
        onClick={() =>
          void act(async () => {
            await store.client.api.removeMember(conversation, store.me.id);
            await store.refreshList(0);
            onLeft();
          })
        }
      >
        Leave group
      </button>
    </Dialog>
  );
}
