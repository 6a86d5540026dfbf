import type { z } from 'zod';

/**
 * The first problem a schema found, as one line for people:
 * `username must be at least 3 characters long`, `body.text is missing`.
 * Messages written in a schema (`may hold letters, digits…`) are kept; the
 * schema library's own wording is replaced.
 */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid input';
  const field = issue.path.length > 0 ? issue.path.join('.') : 'the request';
  return `${field} ${problemOf(issue)}`;
}

type Issue = z.ZodError['issues'][number];

function problemOf(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be ${sizeOf(issue.origin, 'at least', issue.minimum)}`;
    case 'too_big':
      return `must be ${sizeOf(issue.origin, 'at most', issue.maximum)}`;
    case 'invalid_type':
      return / received undefined$/.test(issue.message) ? 'is missing' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    default:
      // A message the schema's author wrote is for people already; the library's own starts with "Invalid".
      return issue.message.startsWith('Invalid') ? 'is not valid' : issue.message;
  }
}

function sizeOf(origin: string, bound: string, limit: number | bigint): string {
  if (origin === 'string') return `${bound} ${limit} character${limit === 1 ? '' : 's'} long`;
  if (origin === 'array' || origin === 'set') return `${bound} ${limit} item${limit === 1 ? '' : 's'}`;
  return `${bound} ${limit}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
