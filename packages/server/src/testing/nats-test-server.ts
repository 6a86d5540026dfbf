import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect as connectTcp } from 'node:net';
import { pino } from 'pino';
import { NatsBus } from '../bus/nats-bus.js';

/** The machine's shared NATS server: tests never stop it, and keep apart by a random subject prefix. */
export const sharedNatsUrl = 'nats://127.0.0.1:4222';

export const randomSubjectPrefix = () => `test${randomBytes(6).toString('hex')}.`;

export function openTestNatsBus(url: string, subjectPrefix: string): Promise<NatsBus> {
  return NatsBus.connect({ url, subjectPrefix, logger: pino({ level: 'silent' }) });
}

/** A NATS server of the test's own, on a free port, that the test may stop and start again. */
export interface NatsTestServer {
  url: string;
  start(): Promise<void>;
  /** Stops the server and waits for its process to exit. */
  stop(): Promise<void>;
}

export async function natsTestServer(): Promise<NatsTestServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      child = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      const deadline = Date.now() + 5_000;
      while (!(await accepts(port))) {
        if (Date.now() > deadline) throw new Error(`nats-server did not start on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
