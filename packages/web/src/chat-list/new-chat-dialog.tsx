import { useState } from 'react';
import { useChatStore } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { errorText } from '../ui/error-text.js';
import { UserPicker } from '../ui/user-picker.js';

interface NewChatDialogProps {
  onClose: () => void;
  onOpened: (conversation: string) => void;
}

/** Finds a user and opens the direct chat with them (the server makes one per pair). */
export function NewChatDialog({ onClose, onOpened }: NewChatDialogProps) {
  const store = useChatStore();
  const [error, setError] = useState<string>();
  return (
    <Dialog title="New chat" onClose={onClose}>
      <UserPicker
        action="Chat with"
        onPick={(user) => {
          store.client.api.openDirect(user.id).then(
            async (conversation) => {
              await store.refreshList(0);
              onOpened(conversation.id);
            },
            (failure: unknown) => setError(errorText(failure)),
          );
        }}
      />
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </Dialog>
  );
}
