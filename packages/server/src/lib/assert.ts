/** Fails loudly on a broken invariant: a bug, never an expected refusal. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant broken: ${message}`);
}
