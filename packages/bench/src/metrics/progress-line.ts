/**
 * One status line on stderr, rewritten in place on a terminal. Where stderr
 * is a file or a pipe (CI logs), it prints a plain line at most every
 * `plainIntervalMs`, so the log stays readable.
 */
export class ProgressLine {
  private lastPlainMs = 0;
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainIntervalMs = 5_000,
  ) {}

  update(text: string): void {
    if (!this.enabled) return;
    if (this.stream.isTTY) {
      const width = (this.stream.columns ?? 120) - 1;
      this.stream.write(`\r\x1b[K${text.slice(0, width)}`);
      this.shown = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlainMs < this.plainIntervalMs) return;
    this.lastPlainMs = now;
    this.stream.write(`${text}\n`);
  }

  /** Ends the updating line, so the next output starts on a fresh one. */
  done(finalText?: string): void {
    if (!this.enabled) return;
    if (this.stream.isTTY && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
    this.lastPlainMs = 0;
    if (finalText !== undefined) this.stream.write(`${finalText}\n`);
  }
}
