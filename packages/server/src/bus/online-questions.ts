import type { OnlineAnswer } from './nats-messages.js';

interface Question {
  devices: Set<string>;
  /** Live nodes that have not answered yet. */
  waitingFor: Set<string>;
  timer: NodeJS.Timeout;
  resolve: (devices: ReadonlySet<string>) => void;
}

/**
 * This node's open `onlineDevices` questions to the others. Each ends when
 * every node it waits for has answered, or after `waitMsMax`, with the union
 * of the answers that came: an answer lost or late only leaves devices out.
 */
export class OnlineQuestions {
  private nextQuery = 1;
  private readonly open = new Map<number, Question>();

  constructor(private readonly waitMsMax: number) {}

  /** Starts with `ownDevices`, calls `send` with the question's number, and waits for the answers of `nodes`. */
  ask(ownDevices: string[], nodes: string[], send: (query: number) => void): Promise<ReadonlySet<string>> {
    const query = this.nextQuery++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.end(query), this.waitMsMax);
      timer.unref();
      this.open.set(query, { devices: new Set(ownDevices), waitingFor: new Set(nodes), timer, resolve });
      send(query);
    });
  }

  /** An answer from another node; one to a question already ended is dropped. */
  answered(answer: OnlineAnswer): void {
    const question = this.open.get(answer.query);
    if (question === undefined) return;
    for (const device of answer.devices) question.devices.add(device);
    question.waitingFor.delete(answer.node);
    if (question.waitingFor.size === 0) this.end(answer.query);
  }

  /** Ends every open question with what it has (the bus is closing). */
  endAll(): void {
    for (const query of [...this.open.keys()]) this.end(query);
  }

  private end(query: number): void {
    const question = this.open.get(query);
    if (question === undefined) return;
    this.open.delete(query);
    clearTimeout(question.timer);
    question.resolve(question.devices);
  }
}
