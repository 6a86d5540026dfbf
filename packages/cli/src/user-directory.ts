import type { ParleyApi, UserView } from '@parley/client';

/**
 * Names for user ids, for printing. The API has no "user by id" call, so
 * names come from what is at hand: users already seen in search results,
 * and for a stranger, the display name of a direct conversation with them
 * (the conversation list names the peer) looked up in search to get the
 * username. Every answer, a miss included, is cached.
 */
export class UserDirectory {
  private readonly names = new Map<string, string>();

  constructor(private readonly api: ParleyApi) {}

  remember(user: UserView): void {
    this.names.set(user.id, user.username);
  }

  /** The user's username, else their display name, else the bare id. */
  async nameOf(userId: string): Promise<string> {
    const known = this.names.get(userId);
    if (known !== undefined) return known;
    const name = (await this.lookUp(userId)) ?? userId;
    this.names.set(userId, name);
    return name;
  }

  private async lookUp(userId: string): Promise<string | undefined> {
    const conversations = await this.api.conversations();
    const direct = conversations.find((conversation) => conversation.type === 'direct' && conversation.peer === userId);
    if (!direct) return undefined;
    const users = await this.api.searchUsers(direct.name.slice(0, 64));
    const user = users.find((candidate) => candidate.id === userId);
    return user?.username ?? direct.name;
  }
}
