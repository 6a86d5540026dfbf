import type { ReceiptDetailFrame } from '@parley/protocol';
import type { Bus } from '../bus/bus.js';
import type { ReceiptsMade } from './model.js';
import { publishAppended } from './publish-appended.js';

/**
 * Publishes what an ack or a read made once it is durable: the receipt
 * events to their streams, and each member's move in a group as an ephemeral
 * `receipt_detail` for the senders it concerns, which only their connections
 * watching that conversation send on.
 */
export function publishReceipts(bus: Bus, made: ReceiptsMade): void {
  publishAppended(bus, made.appended);
  for (const move of made.moves) {
    const frame: ReceiptDetailFrame = { type: 'receipt_detail', conversation: move.conversationId, user: move.userId, status: move.status, seq: move.seq };
    const text = JSON.stringify(frame);
    for (const sender of move.senders) bus.publish(sender, { kind: 'ephemeral', frame: text, receiptsOf: move.conversationId });
  }
}
