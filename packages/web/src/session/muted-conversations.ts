/**
 * The conversations this user muted. The server keeps the mute for push
 * (`PUT /v1/conversations/:id/mute`) but offers no way to read it back, so
 * the app remembers it per user in this browser for its own notifications
 * and the list's mark.
 */
export class MutedConversations {
  private readonly ids: Set<string>;
  private readonly key: string;

  constructor(user: string) {
    this.key = `parley.muted.${user}`;
    this.ids = new Set(readIds(localStorage.getItem(this.key)));
  }

  has(conversation: string): boolean {
    return this.ids.has(conversation);
  }

  set(conversation: string, muted: boolean): void {
    if (muted) this.ids.add(conversation);
    else this.ids.delete(conversation);
    localStorage.setItem(this.key, JSON.stringify([...this.ids]));
  }
}

function readIds(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    // Not written by this app: no conversation is muted rather than the app failing to start.
    return [];
  }
}
