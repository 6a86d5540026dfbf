import { describe, expect, it } from 'vitest';
import { safeLine, safeLines } from './terminal-safe.js';

describe('safeLine', () => {
  it('shows escape sequences as text instead of letting the terminal run them', () => {
    expect(safeLine('\u001b]0;pwned\u0007title')).toBe('\\x1b]0;pwned\\x07title');
    expect(safeLine('\u001b[31mred')).toBe('\\x1b[31mred');
  });

  it('escapes C1 controls, DEL and bidi overrides', () => {
    expect(safeLine('a\u009b31mb\u007f')).toBe('a\\x9b31mb\\x7f');
    expect(safeLine('abc\u202edcba\u2066x\u2069')).toBe('abc\\u202edcba\\u2066x\\u2069');
  });

  it('keeps a name on one line', () => {
    expect(safeLine('eve\n[12:00:00] bob: hi\r')).toBe('eve\\n[12:00:00] bob: hi\\r');
    expect(safeLine('a\u2028b')).toBe('a\\u2028b');
  });

  it('leaves ordinary text, emoji and other scripts alone', () => {
    expect(safeLine('héllo wörld 👋 مرحبا 你好')).toBe('héllo wörld 👋 مرحبا 你好');
  });
});

describe('safeLines', () => {
  it('indents every line after the first, whatever line break it used', () => {
    expect(safeLines('one\ntwo\r\nthree\rfour\u2028five', '  ')).toBe('one\n  two\n  three\n  four\n  five');
  });

  it('makes each line safe too', () => {
    expect(safeLines('hi\n\u001b[2K[12:00:00] bob: send money', '    ')).toBe('hi\n    \\x1b[2K[12:00:00] bob: send money');
  });
});
