import { assert } from '../../lib/assert.js';

/** The asynchronous form of a core rule's transaction interface: each row method answers with a promise. */
export type AsyncRows<Rows> = {
  [K in keyof Rows]: Rows[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/** Thrown through a rule when it asks for rows not fetched yet; never escapes `runRule`. */
const suspended = Symbol('rows not fetched yet');

/** Calls the rules have made at most: a rule loops only through a bug. */
const callsMax = 10_000;

/**
 * Runs a core rule (`chat/*-rule.ts`, synchronous, written for SQLite's
 * synchronous driver) on asynchronous rows, so PostgreSQL calls the very same
 * rule and decides nothing itself. The rule runs; at its first call whose
 * answer is not known yet it is stopped, that call is made on `rows` (in
 * the caller's transaction), and the rule runs again from the start with the
 * answers so far, until it returns or throws. A rule is a function of what
 * its rows answer, so each run repeats the calls of the one before; each
 * answer is given as a fresh copy, as a rule may change what it got.
 * Reads and writes alike happen once each, in the rule's order.
 */
export async function runRule<Rows extends object, Result>(rows: NoInfer<AsyncRows<Rows>>, rule: (rows: Rows) => Result): Promise<Result> {
  const answers: { method: string; answer: unknown }[] = [];
  for (;;) {
    let next: { method: string; args: unknown[] } | undefined;
    let calls = 0;
    const replaying = new Proxy(rows, {
      get: (_target, property) => {
        assert(typeof property === 'string', 'rows are called by name');
        return (...args: unknown[]) => {
          const index = calls++;
          const known = answers[index];
          if (known !== undefined) {
            assert(known.method === property, `the rule called ${property} where it had called ${known.method}: rules must be deterministic`);
            return copyOf(known.answer);
          }
          next = { method: property, args };
          throw suspended;
        };
      },
    }) as unknown as Rows;
    try {
      return rule(replaying);
    } catch (error) {
      if (error !== suspended || next === undefined) throw error;
    }
    assert(answers.length < callsMax, `a rule made more than ${callsMax} row calls`);
    const method = Reflect.get(rows, next.method) as (...args: unknown[]) => Promise<unknown>;
    answers.push({ method: next.method, answer: await method.apply(rows, next.args) });
  }
}

/** Arrays and plain objects are copied all the way down; anything else (Buffers, dates) is shared. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => copyOf(item)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyOf(item)])) as T;
  }
  return value;
}

/** One rows object answering for two interfaces (a rule that takes both), each method from the first that has it. */
export function combinedRows<A extends object, B extends object>(first: A, second: B): A & B {
  return new Proxy(first, {
    get: (_target, property) => {
      const owner = property in first ? first : second;
      const value: unknown = Reflect.get(owner, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(owner) : value;
    },
    has: (_target, property) => property in first || property in second,
  }) as A & B;
}
