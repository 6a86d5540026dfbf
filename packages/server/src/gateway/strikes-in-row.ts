/**
 * Counts refusals in a row (bad frames, `rate_limited` answers): a client
 * that keeps getting them is broken or hostile, and is closed past `max`.
 * One good frame clears the count.
 */
export class StrikesInRow {
  private count = 0;

  constructor(private readonly max: number) {}

  /** Counts one refusal; true when that is one too many. */
  strike(): boolean {
    return ++this.count > this.max;
  }

  clear(): void {
    this.count = 0;
  }
}
