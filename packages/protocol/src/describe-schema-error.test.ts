import { describe, expect, it } from 'vitest';
import { describeSchemaError } from './describe-schema-error.js';
import { registerRequestSchema } from './http.js';
import { parseClientFrame } from './parse-client-frame.js';

const problemIn = (value: unknown) => {
  const result = registerRequestSchema.safeParse(value);
  if (result.success) throw new Error('expected a problem');
  return describeSchemaError(result.error);
};

describe('describeSchemaError', () => {
  it('says in words how long a field must be', () => {
    expect(problemIn({ username: 'ab', password: 'correct horse' })).toBe('username must be at least 3 characters long');
    expect(problemIn({ username: 'abc', password: 'x'.repeat(300) })).toBe('password must be at most 256 characters long');
  });

  it('says a field is missing, or of the wrong kind', () => {
    expect(problemIn({ username: 'abc' })).toBe('password is missing');
    expect(problemIn({ username: 'abc', password: 12_345_678 })).toBe('password must be a string');
  });

  it('keeps a message the schema wrote for people', () => {
    expect(problemIn({ username: 'a b c', password: 'correct horse' })).toBe('username may hold letters, digits, ".", "_" and "-" only');
  });

  it('describes a bad frame the same way', () => {
    const id = '0b6c8f2e-6a3e-4b8e-9a51-3f0d2c1b7a90';
    expect(parseClientFrame(JSON.stringify({ type: 'send', id, conversation: 'c_1' }))).toMatchObject({ ok: false, message: 'body is missing' });
  });
});
