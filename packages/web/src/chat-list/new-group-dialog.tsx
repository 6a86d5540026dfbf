import { useState, type FormEvent } from 'react';
import type { UserView } from '@parley/client';
import { useChatStore } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { errorText } from '../ui/error-text.js';
import { UserPicker } from '../ui/user-picker.js';

interface NewGroupDialogProps {
  onClose: () => void;
  onOpened: (conversation: string) => void;
}

/** A group with a name and members; the creator is its admin. */
export function NewGroupDialog({ onClose, onOpened }: NewGroupDialogProps) {
  const store = useChatStore();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<UserView[]>([]);
  const [error, setError] = useState<string>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const group = await store.client.api.createGroup(name.trim(), members.map((member) => member.id));
      await store.refreshList(0);
      onOpened(group.id);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <Dialog title="New group" onClose={onClose}>
      <form onSubmit={(event) => void create(event)}>
        <label htmlFor="group-name">Group name</label>
        <input id="group-name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
        <h3>Members</h3>
        {members.length === 0 ? (
          <p className="muted">Add at least one member.</p>
        ) : (
          <ul className="member-chips" aria-label="Members to add">
            {members.map((member) => (
              <li key={member.id}>
                {member.displayName}
                <button type="button" onClick={() => setMembers(members.filter((each) => each.id !== member.id))}>
                  Remove {member.displayName}
                </button>
              </li>
            ))}
          </ul>
        )}
        <UserPicker action="Add" exclude={members.map((member) => member.id)} onPick={(user) => setMembers([...members, user])} />
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={members.length === 0 || name.trim() === ''}>
          Create group
        </button>
      </form>
    </Dialog>
  );
}
