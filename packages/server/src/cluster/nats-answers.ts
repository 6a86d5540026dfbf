import { connect } from 'node:net';

/**
 * Whether a NATS server answers at `natsUrl`: it greets every connection with
 * an `INFO` line, read here without a NATS client (the nodes bring their own).
 */
export async function natsAnswers(natsUrl: string, timeoutMs = 3_000): Promise<boolean> {
  const url = new URL(natsUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 4222) });
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('data', (greeting: string) => finish(greeting.startsWith('INFO ')));
    socket.once('error', () => finish(false));
  });
}
