import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFrameSchema } from './frames.js';
import { parseClientFrame } from './parse-client-frame.js';

const id = '0F8FAD5B-D9CB-469F-A165-70867728950E';

describe('parseClientFrame', () => {
  it('reads a send with its id in lower case, so dedupe does not depend on letter case', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'send', id, conversation: 'c_1', body: { text: 'hi', replyTo: 2 } }));
    expect(parsed).toEqual({ ok: true, frame: { type: 'send', id: id.toLowerCase(), conversation: 'c_1', body: { text: 'hi', replyTo: 2 } } });
  });

  it('refuses a send whose id is not a UUID, naming the send in ref', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'send', id: 'm-1', conversation: 'c_1', body: { text: 'hi' } }));
    expect(parsed).toEqual({ ok: false, ref: 'm-1', message: 'id must be a UUID in canonical text form' });
  });

  it('leaves ref out when the frame has no readable id', () => {
    expect(parseClientFrame('{"type":"ack","pos":-1}')).toMatchObject({ ok: false });
    expect(parseClientFrame('{"type":"ack","pos":-1}')).not.toHaveProperty('ref');
    expect(parseClientFrame(JSON.stringify({ type: 'send', id: 'x'.repeat(65) }))).not.toHaveProperty('ref');
  });

  it('reads every ack as the schema does: the same frame where it accepts one, a refusal where it refuses', () => {
    const pos = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.maxSafeInteger(), fc.double(), fc.constantFrom(-0, 2 ** 53, '1', null, true, [1]));
    const extra = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    fc.assert(
      fc.property(pos, extra, fc.boolean(), (ackedPos, fields, withPos) => {
        const frame: Record<string, unknown> = { ...fields, type: 'ack' };
        if (withPos) frame.pos = ackedPos;
        const text = JSON.stringify(frame);
        const bySchema = clientFrameSchema.safeParse(JSON.parse(text));
        const parsed = parseClientFrame(text);
        expect(parsed.ok).toBe(bySchema.success);
        if (parsed.ok && bySchema.success) expect(parsed.frame).toEqual(bySchema.data);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses text that is not JSON and frames of unknown types', () => {
    expect(parseClientFrame('{')).toEqual({ ok: false, message: 'frame is not JSON' });
    expect(parseClientFrame('{"type":"subscribe"}').ok).toBe(false);
  });

  it('refuses a hello of another protocol version', () => {
    expect(parseClientFrame('{"type":"hello","token":"t","protocol":1}').ok).toBe(true);
    expect(parseClientFrame('{"type":"hello","token":"t","protocol":2}').ok).toBe(false);
  });

  it('reads a watch of one conversation’s receipts, or null to stop, and refuses one without a conversation', () => {
    expect(parseClientFrame('{"type":"watch_receipts","conversation":"c_1"}')).toEqual({ ok: true, frame: { type: 'watch_receipts', conversation: 'c_1' } });
    expect(parseClientFrame('{"type":"watch_receipts","conversation":null}')).toEqual({ ok: true, frame: { type: 'watch_receipts', conversation: null } });
    expect(parseClientFrame('{"type":"watch_receipts"}').ok).toBe(false);
    expect(parseClientFrame('{"type":"watch_receipts","conversation":["c_1"]}').ok).toBe(false);
  });

  it('refuses a conversation id the server could not have made', () => {
    expect(parseClientFrame('{"type":"read","conversation":"c 1","seq":1}').ok).toBe(false);
  });
});
