import type { z } from 'zod';

/** The first problem a schema found, as one readable line: `body.text: Invalid input: expected string`. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid input'}`;
}
