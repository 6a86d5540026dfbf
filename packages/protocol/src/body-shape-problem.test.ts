import { describe, expect, it } from 'vitest';
import { bodyShapeProblem } from './body-shape-problem.js';

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth - 1)}{"text":"x"}${']'.repeat(depth - 1)}`) as unknown;

describe('bodyShapeProblem', () => {
  it('accepts a body nested exactly maxDepth levels, the body itself being the first', () => {
    expect(bodyShapeProblem({ text: 'x', list: nested(3) }, 4)).toBeUndefined();
  });

  it('refuses a body one level deeper than maxDepth', () => {
    expect(bodyShapeProblem({ text: 'x', list: nested(4) }, 4)).toBe('body is nested deeper than 4 levels');
  });

  it('walks a body nested 100,000 levels without running out of stack', () => {
    expect(bodyShapeProblem({ text: 'x', list: nested(100_000) }, 64)).toBe('body is nested deeper than 64 levels');
  });

  it('finds a __proto__ key at any depth, but not the word as a value', () => {
    expect(bodyShapeProblem(JSON.parse('{"text":"x","a":[{"b":{"__proto__":1}}]}'), 64)).toBe('body may not contain the key __proto__');
    expect(bodyShapeProblem({ text: '__proto__', tags: ['__proto__'] }, 64)).toBeUndefined();
  });

  it('has nothing to say about values that are not objects', () => {
    expect(bodyShapeProblem(undefined, 1)).toBeUndefined();
    expect(bodyShapeProblem('text', 1)).toBeUndefined();
  });
});
