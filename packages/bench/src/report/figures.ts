import type { Figure } from './bench-result.js';

/** A figure without a target. */
export function figure(name: string, value: number | string, unit: string): Figure {
  return { name, value, unit };
}

/** `value` ÷ `baseline` to 3 significant digits (a ratio of 0.0961 keeps its digits); undefined without a baseline. */
export const ratio = (value: number, baseline: number | undefined) =>
  baseline === undefined || baseline === 0 ? undefined : Number((value / baseline).toPrecision(3));
