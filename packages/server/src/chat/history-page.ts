import type { HistoryRange } from './store-port.js';

/** The seqs a page of history may hold, `[low, high]`, and which end of them it takes. */
export interface HistoryPage {
  low: number;
  high: number;
  limit: number;
  /** From `low` up (`after` given), or from `high` down (the newest). */
  from: 'low' | 'high';
}

/**
 * `MessageStore.readHistory`'s page: with `after`, the first `limit` above
 * it; with `before`, the last `limit` below it; with both, bounded at both
 * ends; with neither, the newest `limit`; never outside what the reader may
 * see. Undefined: the page is empty.
 */
export function historyPage(range: HistoryRange, visible: { from: number; to: number }): HistoryPage | undefined {
  const low = Math.max(visible.from, range.after === undefined ? 1 : range.after + 1);
  const high = Math.min(visible.to, range.before === undefined ? Number.MAX_SAFE_INTEGER : range.before - 1);
  if (low > high || range.limit <= 0) return undefined;
  return { low, high, limit: range.limit, from: range.after === undefined ? 'high' : 'low' };
}
