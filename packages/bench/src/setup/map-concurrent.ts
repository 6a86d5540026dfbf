/**
 * Runs `task` over `items` with at most `limit` in flight, keeping results in
 * input order. Setup (argon2 password hashing on the server, ~15-50 ms per
 * account) would take minutes one by one; the server hashes on a thread pool,
 * so a few in flight use every core.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  onProgress?: (done: number, total: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** `[0, 1, …, count - 1]`. */
export const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
