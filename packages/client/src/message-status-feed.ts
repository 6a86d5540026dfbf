import type { ConversationEvent, MessageReceiptsView, ReceiptDetailFrame, ReceiptEvent } from '@parley/protocol';
import type { ParleyApi } from './api.js';
import { ReceiptTracker, type MessageReceipts } from './receipt-tracker.js';

export interface MessageStatusHandlers {
  /** One of the user's messages changed receipt state. */
  status(receipts: MessageReceipts): void;
  error(error: unknown, what: string): void;
}

/**
 * Feeds the receipt tracker from the client's events and announces the
 * changes. The status of a message depends on who the members are, which
 * the stream tells only for conversations created after the device was: for
 * the others, the first own message seen loads the conversation's details
 * over HTTP (members with their delivered and read seqs), once. Who in a
 * group has a message is loaded on request (`loadDetail`) and followed live
 * while the app watches the conversation.
 */
export class MessageStatusFeed {
  private readonly tracker = new ReceiptTracker();
  private user: string | undefined;
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly api: ParleyApi,
    private readonly handlers: MessageStatusHandlers,
    /** False for a client that receives no events (so no receipts): nothing to load for. */
    private readonly autoLoad: boolean,
  ) {}

  setUser(user: string): void {
    this.tracker.setUser(user);
    this.user = user;
  }

  message(message: { conversation: string; seq: number; sender: string }): void {
    this.announce(this.tracker.message(message.conversation, message.seq, message.sender));
    if (this.autoLoad && message.sender === this.user && !this.tracker.knowsMembers(message.conversation)) {
      this.load(message.conversation).catch((error: unknown) => this.handlers.error(error, 'could not load receipts'));
    }
  }

  /** The server accepted a send of this client: the message is the user's own. */
  sent(conversation: string, seq: number): void {
    if (this.user !== undefined) this.message({ conversation, seq, sender: this.user });
  }

  receipt(event: ReceiptEvent): void {
    this.announce(this.tracker.receipt(event));
  }

  detail(frame: ReceiptDetailFrame): void {
    this.announce(this.tracker.detail(frame));
  }

  conversation(event: ConversationEvent): void {
    this.announce(this.tracker.conversationChange(event));
  }

  receiptsOf(conversation: string, seq: number): MessageReceipts {
    return this.tracker.receiptsOf(conversation, seq);
  }

  /** Loads the conversation's members and their receipts over HTTP; concurrent calls share one request. */
  load(conversation: string): Promise<void> {
    let loading = this.loading.get(conversation);
    if (loading === undefined) {
      loading = this.api
        .conversation(conversation)
        .then((view) => this.announce(this.tracker.seed(view)))
        .finally(() => this.loading.delete(conversation));
      this.loading.set(conversation, loading);
    }
    return loading;
  }

  /** Loads who had message `seq` and who read it over HTTP into the receipt state; resolves with the answer. */
  async loadDetail(conversation: string, seq: number): Promise<MessageReceiptsView> {
    const view = await this.api.messageReceipts(conversation, seq);
    this.announce(this.tracker.recipients(view));
    return view;
  }

  private announce(changes: MessageReceipts[]): void {
    for (const receipts of changes) this.handlers.status(receipts);
  }
}
