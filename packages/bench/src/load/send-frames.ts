import { randomUUID } from 'node:crypto';

/**
 * Pre-serialised `send` frames. The body carries the send's due time `t`
 * (performance.now() of the generator) next to the padding text: the server
 * stores extra body fields as given, so the receiver reads the time back from
 * the delivered message without a lookup table.
 */
export class SendFrames {
  private readonly prefix: string;
  private readonly middle: string;

  constructor(conversation: string, bodyTextBytes: number) {
    this.prefix = '{"type":"send","id":"';
    this.middle = `","conversation":${JSON.stringify(conversation)},"body":{"text":"${'x'.repeat(Math.max(1, bodyTextBytes))}","t":`;
  }

  /** A frame with a fresh message id; returns both. */
  next(dueMs: number): { id: string; frame: string } {
    const id = randomUUID();
    return { id, frame: `${this.prefix}${id}${this.middle}${dueMs}}}` };
  }
}
