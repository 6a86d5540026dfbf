import { bodyShapeProblem } from './body-shape-problem.js';
import { describeSchemaError } from './describe-schema-error.js';
import { defaultLimits } from './limits.js';
import { clientFrameSchema, type ClientFrame } from './frames.js';

export type ParsedClientFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; ref?: string; message: string };

/**
 * Turns the text of one WebSocket frame into a typed client frame, or says why
 * it is not one. `ref` is the frame's `id` where it has a readable one, so the
 * error names the send it answers.
 */
export function parseClientFrame(text: string, limits: ClientFrameLimits = defaultLimits): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not JSON' };
  }
  // A device acks nearly every event it receives: the most frequent frame by
  // far, read without the schema, which answers the same for it.
  if (isValidAck(value)) return { ok: true, frame: { type: 'ack', pos: value.pos } };
  const ref = refOf(value);
  const refused = (message: string): ParsedClientFrame => ({ ok: false, ...(ref === undefined ? {} : { ref }), message });
  // Before the schema: it copies bodies, and would drop a __proto__ key without a word.
  const problem = bodyShapeProblem((value as { body?: unknown } | null)?.body, limits.maxBodyDepth);
  if (problem !== undefined) return refused(problem);
  const result = clientFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  return refused(describeSchemaError(result.error));
}

export interface ClientFrameLimits {
  /** See `defaultLimits.maxBodyDepth`. */
  maxBodyDepth: number;
}

/** An ack the schema accepts: `pos` a non-negative safe integer; other fields are dropped, as the schema drops them. */
function isValidAck(value: unknown): value is { type: 'ack'; pos: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, pos } = value as Record<string, unknown>;
  return type === 'ack' && Number.isSafeInteger(pos) && (pos as number) >= 0;
}

function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && record.id.length <= 64 ? record.id : undefined;
}
