import { describe, expect, it } from 'vitest';
import { frameType, numberField, stringField } from './frame-scan.js';

const message =
  '{"type":"message","pos":1241,"conversation":"c_1","seq":43,"id":"6f1c0b5e-8d2a-4c57-9b1e-2f4d6a8c0e13","sender":"u_9","device":"d_2","at":1764201600123,"body":{"text":"x","t":1234.5678}}';

describe('reading server frames without parsing them', () => {
  it('reads the type, numbers and strings the generator needs', () => {
    expect(frameType(message)).toBe('message');
    expect(numberField(message, 'pos')).toBe(1241);
    expect(numberField(message, 'seq')).toBe(43);
    expect(stringField(message, 'sender')).toBe('u_9');
    expect(numberField(message, 't', message.indexOf('"body":'))).toBe(1234.5678);
  });

  it('agrees with JSON.parse on a sent frame and an error frame', () => {
    const sent = JSON.stringify({ type: 'sent', id: 'abc', conversation: 'c_1', seq: 7, at: 99 });
    const error = JSON.stringify({ type: 'error', ref: 'abc', code: 'rate_limited', message: 'slow down', retryAfterMs: 1000 });
    expect([frameType(sent), stringField(sent, 'id'), numberField(sent, 'seq')]).toEqual(['sent', 'abc', 7]);
    expect([frameType(error), stringField(error, 'ref'), stringField(error, 'code')]).toEqual(['error', 'abc', 'rate_limited']);
  });

  it('says so when a field is missing or the frame has another shape', () => {
    expect(frameType('{"pos":1,"type":"message"}')).toBeUndefined();
    expect(numberField(message, 'missing')).toBeNaN();
    expect(stringField(message, 'missing')).toBeUndefined();
  });
});
