import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './errors.js';
import { exactServerFrameSchema, serverFrameSchema } from './server-frames.js';

/** The JSON examples of docs/protocol.md, one object per line inside ```json blocks. */
function documentedFrames(): Record<string, unknown>[] {
  const text = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.startsWith('{'))).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const serverTypes = new Set(serverFrameSchema.options.map((option) => option.shape.type.value));

describe('exactServerFrameSchema', () => {
  it('accepts every server frame that docs/protocol.md shows', () => {
    const examples = documentedFrames().filter((frame) => serverTypes.has(frame.type as never));
    expect(new Set(examples.map((frame) => frame.type)).size).toBeGreaterThanOrEqual(8);
    for (const example of examples) expect(exactServerFrameSchema.safeParse(example).error).toBeUndefined();
  });

  it('refuses a field the contract does not name', () => {
    expect(exactServerFrameSchema.safeParse({ type: 'synced', pos: 1 }).success).toBe(true);
    expect(exactServerFrameSchema.safeParse({ type: 'synced', pos: 1, at: 2 }).success).toBe(false);
    expect(exactServerFrameSchema.safeParse({ type: 'pong', ref: 'x' }).success).toBe(false);
  });

  it('keeps the extra fields of a message body, which are the sender’s', () => {
    const message = { type: 'message', pos: 1, conversation: 'c', seq: 1, id: 'x', sender: 'u', device: 'd', at: 1, body: { text: 'hi', replyTo: 1 } };
    expect(exactServerFrameSchema.parse(message)).toEqual(message);
  });

  it('takes a receipt that names a user or speaks for all, never both or neither', () => {
    const receipt = { type: 'receipt', pos: 1, conversation: 'c', status: 'read', seq: 2 };
    expect(exactServerFrameSchema.safeParse({ ...receipt, user: 'u' }).success).toBe(true);
    expect(exactServerFrameSchema.safeParse({ ...receipt, all: true }).success).toBe(true);
    expect(exactServerFrameSchema.safeParse({ ...receipt, user: 'u', all: true }).success).toBe(false);
    expect(exactServerFrameSchema.safeParse(receipt).success).toBe(false);
    expect(serverFrameSchema.safeParse(receipt).success).toBe(false);
  });

  it('accepts every code of errorCodes in an error frame and no other', () => {
    for (const code of errorCodes) {
      expect(exactServerFrameSchema.safeParse({ type: 'error', code, message: 'm' }).success).toBe(true);
    }
    expect(exactServerFrameSchema.safeParse({ type: 'error', code: 'teapot', message: 'm' }).success).toBe(false);
  });
});
