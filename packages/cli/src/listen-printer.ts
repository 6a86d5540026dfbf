import type { HistoryBatch, MessageReceipts, MessageView, ParleyApi, PresenceEvent, TypingEvent } from '@parley/client';
import type { CliContext } from './cli-context.js';
import { formatMessage, unreadableText } from './format-message.js';
import { formatStatus } from './format-status.js';
import { formatTime } from './format-time.js';
import { safeLine } from './terminal-safe.js';
import type { UserDirectory } from './user-directory.js';

/** Own messages whose text is kept to quote in status lines; the oldest are forgotten past it. */
const ownTextsMax = 500;

/**
 * Turns what `parley listen` hears into lines: messages (the user's own with
 * a ✓), status lines when receipts arrive, typing and presence. Names and
 * group names may need a lookup, so lines go through one queue that keeps
 * them in arrival order. With `focus` (the conversation of `parley chat`),
 * messages elsewhere are only announced and their receipts not shown.
 */
export class ListenPrinter {
  private printing: Promise<void> = Promise.resolve();
  private readonly ownTexts = new Map<string, string>();
  /** Group id → name; refreshed when an unknown conversation shows up. */
  private groups = new Map<string, string>();
  private readonly knownConversations = new Set<string>();

  constructor(
    private readonly context: CliContext,
    private readonly api: ParleyApi,
    private readonly directory: UserDirectory,
    private readonly userId: string,
    private readonly focus?: { conversation: string; command: string },
  ) {}

  /** Resolves once every line queued so far is printed. */
  flushed(): Promise<void> {
    return this.printing;
  }

  message(message: MessageView): void {
    const own = message.sender === this.userId;
    if (own) this.keepText(message.conversation, message.seq, message.unreadable === true ? unreadableText : message.body.text);
    if (this.focus !== undefined && message.conversation !== this.focus.conversation) {
      if (!own) this.elsewhere(message);
      return;
    }
    this.queue(async () => {
      const group = await this.groupName(message.conversation);
      const sender = await this.nameOf(message.sender);
      return `${formatMessage(message, group === undefined ? sender : `${sender} in ${group}`)}${own ? ' ✓' : ''}`;
    });
  }

  history(batch: HistoryBatch): void {
    for (const message of batch.messages) this.message(message);
  }

  status(receipts: MessageReceipts): void {
    if (this.focus !== undefined && receipts.conversation !== this.focus.conversation) return;
    this.queue(async () => {
      const names = new Map<string, string>();
      for (const user of new Set([...receipts.deliveredTo, ...receipts.readBy])) names.set(user, await this.nameOf(user));
      const group = (await this.groupName(receipts.conversation)) !== undefined;
      return formatStatus(receipts, names, this.ownTexts.get(`${receipts.conversation}#${receipts.seq}`), group);
    });
  }

  typing(event: TypingEvent): void {
    if (!event.active) return;
    this.queue(async () => {
      const group = await this.groupName(event.conversation);
      return safeLine(`${await this.nameOf(event.user)} is typing${group === undefined ? '' : ` in ${group}`}`) + '…';
    });
  }

  presence(event: PresenceEvent): void {
    this.queue(async () => {
      const name = safeLine(await this.nameOf(event.user));
      if (event.online) return `${name} is online`;
      if (event.lastSeen === undefined) return `${name} is offline`;
      return `${name} was last seen ${formatTime(event.lastSeen, Date.now())}`;
    });
  }

  /** A message in another conversation than the focused one: who wrote, and how to go there. */
  private elsewhere(message: MessageView): void {
    const command = this.focus?.command ?? 'parley';
    this.queue(async () => {
      const group = await this.groupName(message.conversation);
      const sender = safeLine(await this.nameOf(message.sender));
      if (group === undefined) return `(@${sender} wrote to you: ${command} chat ${sender})`;
      return `(@${sender} wrote in "${safeLine(group)}": ${command} chat --group "${safeLine(group)}")`;
    });
  }

  private queue(line: () => Promise<string | undefined>): void {
    this.printing = this.printing
      .then(line)
      .then(
        (text) => {
          if (text !== undefined) this.context.print(text);
        },
        (error: unknown) => this.context.note(`could not print an event: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  private keepText(conversation: string, seq: number, text: string): void {
    this.ownTexts.set(`${conversation}#${seq}`, text);
    if (this.ownTexts.size > ownTextsMax) this.ownTexts.delete(this.ownTexts.keys().next().value ?? '');
  }

  private nameOf(userId: string): Promise<string> {
    return this.directory.nameOf(userId).catch(() => userId);
  }

  /** The group's name, or undefined for a direct conversation. */
  private async groupName(conversation: string): Promise<string | undefined> {
    if (!this.knownConversations.has(conversation)) {
      this.knownConversations.add(conversation);
      const list = await this.api.conversations().catch(() => []);
      this.groups = new Map(list.filter((entry) => entry.type === 'group').map((entry) => [entry.id, entry.name]));
      for (const entry of list) this.knownConversations.add(entry.id);
    }
    return this.groups.get(conversation);
  }
}
