import type { Figure } from './bench-result.js';

/** A figure without a target. */
export function figure(name: string, value: number | string, unit: string): Figure {
  return { name, value, unit };
}

/** A figure held to "at least `bound`". */
export function atLeast(name: string, value: number, unit: string, bound: number, condition = ''): Figure {
  return { name, value, unit, target: `≥ ${bound.toLocaleString('en-US')}${condition}`, met: value >= bound };
}

/** A figure held to "at most `bound`". */
export function atMost(name: string, value: number, unit: string, bound: number, condition = ''): Figure {
  return { name, value, unit, target: `≤ ${bound.toLocaleString('en-US')}${condition}`, met: value <= bound };
}

export const ratio = (value: number, baseline: number | undefined) =>
  baseline === undefined || baseline === 0 ? undefined : Number((value / baseline).toFixed(3));
