import type { z } from 'zod';
import { describeSchemaError } from '@parley/protocol';
import { ParleyError } from '../chat/parley-error.js';

/** Validates untyped input from a request against its protocol schema, or refuses it as `bad_request`. */
export function parse<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ParleyError('bad_request', describeSchemaError(result.error));
}
