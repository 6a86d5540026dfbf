import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './parse-server-frame.js';

const frames = [
  { type: 'welcome', user: 'u_1', device: 'd_1', pos: 3, serverTime: 1 },
  { type: 'welcome', user: 'u_1', device: 'd_1', pos: 3, serverTime: 1, resync: true },
  { type: 'synced', pos: 3 },
  { type: 'sent', id: 'x', conversation: 'c_1', seq: 1, at: 1 },
  { type: 'error', ref: 'x', code: 'rate_limited', message: 'slow down', retryAfterMs: 250 },
  { type: 'pong' },
  { type: 'message', pos: 4, conversation: 'c_1', seq: 1, id: 'x', sender: 'u_1', device: 'd_1', at: 1, body: { text: 'hi' } },
  { type: 'receipt', pos: 5, conversation: 'c_1', user: 'u_2', status: 'read', seq: 1 },
  { type: 'conversation', pos: 6, conversation: 'c_1', change: 'created', kind: 'group', name: 'g', by: 'u_1', members: ['u_1'] },
  { type: 'typing', conversation: 'c_1', user: 'u_2', active: true },
  { type: 'presence', user: 'u_2', online: false, lastSeen: 5 },
];

describe('parseServerFrame', () => {
  it('reads every kind of server frame as its type, unchanged', () => {
    for (const frame of frames) expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('refuses text that is not JSON or not an object', () => {
    expect(parseServerFrame('{')).toEqual({ ok: false, message: 'server frame is not JSON' });
    expect(parseServerFrame('[]').ok).toBe(false);
    expect(parseServerFrame('null').ok).toBe(false);
  });

  it('refuses a frame of a type the contract does not name', () => {
    expect(parseServerFrame('{"type":"toString"}').ok).toBe(false);
    expect(parseServerFrame('{"pos":1}').ok).toBe(false);
  });

  it('names the frame and the field when a field is missing or of the wrong kind', () => {
    const missing = parseServerFrame('{"type":"synced"}');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.message).toBe('synced frame: pos is missing');
    const wrongKind = parseServerFrame('{"type":"typing","conversation":"c","user":"u","active":"yes"}');
    if (!wrongKind.ok) expect(wrongKind.message).toBe('typing frame: active must be a boolean');
    expect(wrongKind.ok).toBe(false);
  });

  it('refuses a pos or seq that is negative or not a whole number', () => {
    expect(parseServerFrame('{"type":"synced","pos":-1}').ok).toBe(false);
    expect(parseServerFrame('{"type":"synced","pos":1.5}').ok).toBe(false);
    expect(parseServerFrame('{"type":"receipt","pos":1,"conversation":"c","user":"u","status":"read","seq":0.5}').ok).toBe(false);
  });

  it('refuses a receipt status or a conversation change outside the contract', () => {
    expect(parseServerFrame('{"type":"receipt","pos":1,"conversation":"c","user":"u","status":"seen","seq":1}').ok).toBe(false);
    expect(parseServerFrame('{"type":"conversation","pos":1,"conversation":"c","change":"archived","by":"u"}').ok).toBe(false);
  });

  it('reads an error with a code it does not know as internal, keeping its message', () => {
    const parsed = parseServerFrame('{"type":"error","code":"teapot","message":"short and stout"}');
    expect(parsed).toEqual({ ok: true, frame: { type: 'error', code: 'internal', message: 'short and stout' } });
  });

  it('drops fields a newer server adds, and keeps the extra fields of a message body', () => {
    const parsed = parseServerFrame(
      JSON.stringify({ type: 'message', pos: 4, conversation: 'c_1', seq: 1, id: 'x', sender: 'u_1', device: 'd_1', at: 1, edited: true, body: { text: 'hi', replyTo: 3 } }),
    );
    expect(parsed).toEqual({
      ok: true,
      frame: { type: 'message', pos: 4, conversation: 'c_1', seq: 1, id: 'x', sender: 'u_1', device: 'd_1', at: 1, body: { text: 'hi', replyTo: 3 } },
    });
  });
});
