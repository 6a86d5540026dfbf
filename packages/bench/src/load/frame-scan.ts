/**
 * Field reads on server frames without JSON.parse. The generator reads a
 * few fields of every frame at tens of thousands of frames a second; a full
 * parse of each would make it, not the server, the bottleneck. Every server
 * frame starts with `{"type":"<type>"` (both the server and the relay build
 * them that way); a frame of another shape is read with JSON.parse instead.
 */

const typePrefix = '{"type":"';

/** The `type` of a frame, or undefined when the frame does not start with it. */
export function frameType(text: string): string | undefined {
  if (!text.startsWith(typePrefix)) return undefined;
  const end = text.indexOf('"', typePrefix.length);
  return end < 0 ? undefined : text.slice(typePrefix.length, end);
}

/** The first number after `"<key>":` at or after `from`; NaN when absent or not a number. */
export function numberField(text: string, key: string, from = 0): number {
  const marker = `"${key}":`;
  const at = text.indexOf(marker, from);
  if (at < 0) return Number.NaN;
  let end = at + marker.length;
  while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
  return end === at + marker.length ? Number.NaN : Number(text.slice(at + marker.length, end));
}

/** The first string after `"<key>":"` at or after `from` (no escapes expected: ids); undefined when absent. */
export function stringField(text: string, key: string, from = 0): string | undefined {
  const marker = `"${key}":"`;
  const at = text.indexOf(marker, from);
  if (at < 0) return undefined;
  const end = text.indexOf('"', at + marker.length);
  return end < 0 ? undefined : text.slice(at + marker.length, end);
}

function isNumberChar(code: number): boolean {
  // 0-9, '-', '.', 'e', 'E', '+'
  return (code >= 48 && code <= 57) || code === 45 || code === 46 || code === 101 || code === 69 || code === 43;
}
