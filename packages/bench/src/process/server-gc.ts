/** The garbage-collection pauses of a server so far, as its `/metrics` counts them. */
export interface GcTotals {
  pauseSeconds: number;
  pauses: number;
}

/** GC pauses over a measured window, per second of it. */
export interface GcSpan {
  pauseMsPerSecond: number;
  pausesPerSecond: number;
}

/**
 * Sums the `_sum` and `_count` of every kind (minor, major, incremental, weak
 * callbacks) of prom-client's default `nodejs_gc_duration_seconds`
 * histogram, whatever its prefix; undefined when the exposition has none.
 */
export function gcTotalsOf(exposition: string): GcTotals | undefined {
  let totals: GcTotals | undefined;
  for (const line of exposition.split('\n')) {
    const match = /^\w*nodejs_gc_duration_seconds_(sum|count)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null) continue;
    totals ??= { pauseSeconds: 0, pauses: 0 };
    const value = Number(match[2]);
    if (match[1] === 'sum') totals.pauseSeconds += value;
    else totals.pauses += value;
  }
  return totals;
}

/** The server's GC totals now; undefined when its `/metrics` cannot be read (a relay, a token, a port of its own). */
export async function readServerGc(url: string): Promise<GcTotals | undefined> {
  try {
    const response = await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(2_000) });
    return response.ok ? gcTotalsOf(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** What the server paused for between two readings, per second of `seconds`. */
export function gcBetween(start: GcTotals | undefined, end: GcTotals | undefined, seconds: number): GcSpan | undefined {
  if (start === undefined || end === undefined || seconds <= 0) return undefined;
  return { pauseMsPerSecond: ((end.pauseSeconds - start.pauseSeconds) * 1000) / seconds, pausesPerSecond: (end.pauses - start.pauses) / seconds };
}
