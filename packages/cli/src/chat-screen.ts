import { clearLine, createInterface, cursorTo, moveCursor, type Interface } from 'node:readline';

export interface ChatScreenHandlers {
  /** A line the person typed and sent with Enter. */
  line(text: string): void;
  /** A key was pressed in the input line (for the typing indicator). */
  keypress(): void;
  /** Ctrl-C or Ctrl-D: the person leaves. */
  close(): void;
}

const promptText = '> ';

/**
 * The terminal of `parley chat`: what arrives is printed above the line being
 * typed, which is then drawn again, so typing is never interrupted. A status
 * (who is typing) sits in front of the prompt.
 */
export class ChatScreen {
  private readonly input: Interface;
  private status = '';

  constructor(
    private readonly output: NodeJS.WriteStream,
    handlers: ChatScreenHandlers,
  ) {
    this.input = createInterface({ input: process.stdin, output, prompt: promptText, terminal: true });
    this.input.on('line', (text) => {
      // The typed line goes: the message shows once the server has it, with its ✓.
      moveCursor(output, 0, -1);
      clearLine(output, 0);
      handlers.line(text);
      this.input.prompt();
    });
    this.input.on('SIGINT', () => this.input.close());
    this.input.on('close', () => handlers.close());
    process.stdin.on('keypress', () => handlers.keypress());
    this.input.prompt();
  }

  /** Prints a line above the input line and redraws what was being typed. */
  show(line: string): void {
    clearLine(this.output, 0);
    cursorTo(this.output, 0);
    this.output.write(`${line}\n`);
    this.input.prompt(true);
  }

  /** Sets the text in front of the prompt (empty: none). */
  setStatus(status: string): void {
    if (status === this.status) return;
    this.status = status;
    this.input.setPrompt(status === '' ? promptText : `${status} ${promptText}`);
    clearLine(this.output, 0);
    cursorTo(this.output, 0);
    this.input.prompt(true);
  }

  close(): void {
    this.input.close();
  }
}
