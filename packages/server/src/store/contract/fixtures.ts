/**
 * Fixtures for the Store contract suite: users, devices, conversations and
 * messages with predictable ids and times, made only through the port.
 */
import { createHash } from 'node:crypto';
import type { Conversation, Device, MessageDraft, User } from '../../chat/model.js';
import type { NewDirectConversation, Store } from '../../chat/store-port.js';

export const t0 = 1_764_201_600_000;
/** A time after everything the fixtures make. */
export const later = t0 + 86_400_000;

/** What each part of the suite gets: the fresh store of the running test, and fixtures on it. */
export interface ContractContext {
  store(): Store;
  fixtures(): Fixtures;
}

export class Fixtures {
  private clock = t0;
  private messageNumber = 0;
  private groupNumber = 0;

  constructor(private readonly store: Store) {}

  user(username: string, displayName?: string): Promise<User> {
    return this.store.createUser({ ...newUser(username), displayName: displayName ?? username, createdAt: this.tick() });
  }

  /** Several users at once, typed as a tuple so they destructure without checks. */
  async users<const Names extends readonly string[]>(...usernames: Names): Promise<{ -readonly [K in keyof Names]: User }> {
    const users = await Promise.all(usernames.map((username) => this.user(username)));
    return users as { -readonly [K in keyof Names]: User };
  }

  /** The device's token is its name: `tokenHash(name)` authenticates it. */
  device(user: User, name: string, maxDevices = 5): Promise<Device> {
    const id = `d_${user.username}_${name}`;
    return this.store.createDevice({ id, userId: user.id, name, tokenHash: tokenHash(name), createdAt: this.tick() }, maxDevices);
  }

  async direct(a: User, b: User): Promise<string> {
    const opened = await this.store.openDirectConversation(directDraft(`c_${a.username}_${b.username}`, a, b));
    return opened.conversation.id;
  }

  /** A group made by `creator` with `others`, named 'Team'. */
  async group(creator: User, others: User[], maxGroupSize = 1024): Promise<Conversation> {
    this.groupNumber++;
    const group = { id: `g_${this.groupNumber}`, name: 'Team', createdBy: creator.id, memberIds: ids(others), createdAt: this.tick() };
    const created = await this.store.createGroup(group, maxGroupSize);
    return created.conversation;
  }

  draft(conversationId: string, sender: User, text: string): MessageDraft {
    this.messageNumber++;
    const id = `00000000-0000-4000-8000-${String(this.messageNumber).padStart(12, '0')}`;
    return { conversationId, id, senderId: sender.id, deviceId: `d_${sender.username}`, at: this.tick(), bodyJson: body(text) };
  }

  async send(conversationId: string, sender: User, text: string) {
    return (await this.store.append(this.draft(conversationId, sender, text))).message;
  }

  /** A time after everything made so far, and before what is made next. */
  tick(): number {
    this.clock += 1_000;
    return this.clock;
  }
}

export function newUser(username: string) {
  return { id: `u_${username}`, username, displayName: username, passwordHash: `hash-of-${username}`, createdAt: t0 };
}

export function directDraft(id: string, by: User, peer: User): NewDirectConversation {
  return { id, userIds: [by.id, peer.id], createdBy: by.id, createdAt: t0 };
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function body(text: string): string {
  return JSON.stringify({ text });
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, n) => from + n);
}

export function ids(users: User[]): string[] {
  return users.map((user) => user.id);
}
