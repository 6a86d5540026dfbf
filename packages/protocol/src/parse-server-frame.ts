import { describeSchemaError } from './describe-schema-error.js';
import { serverFrameSchema, type ServerFrame } from './server-frames.js';

export type ParsedServerFrame = { ok: true; frame: ServerFrame } | { ok: false; message: string };

/**
 * Turns the text of one WebSocket frame from the server into a typed frame,
 * or says why it is not one. Frames of unknown types are refused here and
 * reported by the caller, not silently dropped.
 */
export function parseServerFrame(text: string): ParsedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'server frame is not JSON' };
  }
  const result = serverFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  return { ok: false, message: `${typeOf(value)} frame: ${describeSchemaError(result.error)}` };
}

function typeOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'server';
  const type = (value as Record<string, unknown>).type;
  return typeof type === 'string' ? type.slice(0, 32) : 'server';
}
