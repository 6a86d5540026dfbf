import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './parse-server-frame.js';

describe('parseServerFrame', () => {
  it('reads every well-formed frame as its type', () => {
    const frames = [
      { type: 'welcome', user: 'u_1', device: 'd_1', pos: 3, serverTime: 1 },
      { type: 'synced', pos: 3 },
      { type: 'sent', id: 'x', conversation: 'c_1', seq: 1, at: 1 },
      { type: 'error', ref: 'x', code: 'not_found', message: 'no' },
      { type: 'pong' },
      { type: 'message', pos: 4, conversation: 'c_1', seq: 1, id: 'x', sender: 'u_1', device: 'd_1', at: 1, body: { text: 'hi' } },
      { type: 'receipt', pos: 5, conversation: 'c_1', user: 'u_2', status: 'read', seq: 1 },
      { type: 'conversation', pos: 6, conversation: 'c_1', change: 'created', by: 'u_1', members: ['u_1'] },
      { type: 'typing', conversation: 'c_1', user: 'u_2', active: true },
      { type: 'presence', user: 'u_2', online: false, lastSeen: 5 },
    ];
    for (const frame of frames) expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('refuses text that is not JSON, unknown types and missing fields', () => {
    expect(parseServerFrame('{').ok).toBe(false);
    expect(parseServerFrame('[]').ok).toBe(false);
    expect(parseServerFrame('{"type":"toString"}').ok).toBe(false);
    expect(parseServerFrame('{"type":"synced"}')).toEqual({ ok: false, message: 'synced frame: pos must be a number' });
    expect(parseServerFrame('{"type":"receipt","pos":1,"conversation":"c","user":"u","status":"seen","seq":1}').ok).toBe(false);
  });

  it('keeps an error with a code it does not know, as internal', () => {
    const parsed = parseServerFrame('{"type":"error","code":"teapot","message":"short and stout"}');
    expect(parsed).toEqual({ ok: true, frame: { type: 'error', code: 'internal', message: 'short and stout' } });
  });
});
