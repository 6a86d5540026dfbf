import type { Figure } from './bench-result.js';

/** A figure without a target. */
export function figure(name: string, value: number | string, unit: string): Figure {
  return { name, value, unit };
}

export const ratio = (value: number, baseline: number | undefined) =>
  baseline === undefined || baseline === 0 ? undefined : Number((value / baseline).toFixed(3));
