/**
 * Why a message body's JSON cannot be taken as it is, or undefined when it
 * can: nested deeper than `maxDepth` (the server's code that walks bodies
 * must never run out of stack), or holding a `__proto__` key anywhere (a
 * JavaScript object cannot carry it as data: it would be silently dropped,
 * or change the prototype of whatever copies the body). Iterative, so the
 * check itself cannot overflow.
 */
export function bodyShapeProblem(body: unknown, maxDepth: number): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: body, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return `body is nested deeper than ${maxDepth} levels`;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return 'body may not contain the key __proto__';
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}
