import { conversationChanges, errorCodes, type ServerFrame } from '@parley/protocol';

type FieldKind = 'string' | 'number' | 'boolean' | 'object';

/**
 * The fields each server frame must carry, with their JSON kinds. Optional
 * fields are checked where they are read; extra fields are allowed, since a
 * newer server may add them (protocol: additions never change meaning).
 */
const requiredFields: Record<ServerFrame['type'], Record<string, FieldKind>> = {
  welcome: { user: 'string', device: 'string', pos: 'number', serverTime: 'number' },
  synced: { pos: 'number' },
  sent: { id: 'string', conversation: 'string', seq: 'number', at: 'number' },
  error: { code: 'string', message: 'string' },
  pong: {},
  message: {
    pos: 'number',
    conversation: 'string',
    seq: 'number',
    id: 'string',
    sender: 'string',
    device: 'string',
    at: 'number',
    body: 'object',
  },
  receipt: { pos: 'number', conversation: 'string', user: 'string', status: 'string', seq: 'number' },
  conversation: { pos: 'number', conversation: 'string', change: 'string', by: 'string' },
  typing: { conversation: 'string', user: 'string', active: 'boolean' },
  presence: { user: 'string', online: 'boolean' },
};

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'server frame is not an object' };
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(requiredFields, type)) {
    return { ok: false, message: `unknown server frame type: ${String(type)}` };
  }
  const fields = requiredFields[type as ServerFrame['type']];
  for (const [field, kind] of Object.entries(fields)) {
    if (!hasKind(record[field], kind)) return { ok: false, message: `${type} frame: ${field} must be a ${kind}` };
  }
  const problem = enumProblem(record);
  if (problem) return { ok: false, message: problem };
  // Every field the type declares as required was checked above.
  return { ok: true, frame: record as unknown as ServerFrame };
}

function enumProblem(record: Record<string, unknown>): string | undefined {
  if (record.type === 'receipt' && record.status !== 'delivered' && record.status !== 'read') {
    return `receipt frame: unknown status ${String(record.status)}`;
  }
  if (record.type === 'conversation' && !conversationChanges.some((change) => change === record.change)) {
    return `conversation frame: unknown change ${String(record.change)}`;
  }
  if (record.type === 'error' && !errorCodes.some((code) => code === record.code)) {
    // An unknown code is still an error: keep it readable as `internal`.
    record.code = 'internal';
  }
  return undefined;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  if (kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === kind;
}
