import { describeSchemaError, exactServerFrameSchema, type ServerFrame } from '@parley/protocol';

/**
 * Reads a frame the server sent, holding it to the wire contract exactly: a
 * field the contract does not name, or one of the wrong kind, is a broken
 * promise of the server, and the test that received it must fail.
 */
export function readExactServerFrame(text: string): { ok: true; frame: ServerFrame } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: `the server sent a frame that is not JSON: ${text.slice(0, 200)}` };
  }
  const result = exactServerFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  return { ok: false, message: `the server sent a frame outside the contract (${describeSchemaError(result.error)}): ${text.slice(0, 200)}` };
}
