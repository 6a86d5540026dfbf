/** Waits for `work`, or until `deadline` (ms since the epoch), whichever comes first; never rejects. */
export async function settledBy(work: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    await Promise.race([work.then(() => undefined, () => undefined), expired]);
  } finally {
    clearTimeout(timer);
  }
}
