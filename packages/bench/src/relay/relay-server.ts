import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { acknowledge, newMember, relayMessage, type RelayMember } from './relay-member.js';
import type { SqliteRelayLog } from './sqlite-relay-log.js';

/**
 * The baselines: the least a Node WebSocket chat relay does for the same
 * frames, with no auth and no validation beyond JSON.parse. Without a log it
 * stores nothing (the bare `ws` relay); with one, every message is committed
 * to SQLite before anyone hears of it (the `ws` + SQLite relay). Their
 * throughput and latency are what Node, `ws` and SQLite themselves allow on
 * this machine at this moment; Parley's figures are reported as ratios to them.
 *
 * It speaks the subset of the protocol the lean client uses. The `hello`
 * token is `<user>|<conversation>,<conversation>…` and makes the socket a
 * member of those conversations. A `send` is answered with `sent` and
 * relayed as a `message` (with a per-socket pos) to every member socket,
 * the sender's own included, as the server does; acks make `delivered`
 * receipts (see `acknowledge`).
 */
export interface RelayServer {
  url: string;
  close(): Promise<void>;
}

export interface RelayOptions {
  host?: string;
  port?: number;
  /**
   * Holds every frame the relay writes for exactly this long first. Tests use
   * it as a server of known latency, to check the tool measures what it should.
   */
  delayMs?: number;
  /** Where each message is committed before `sent` and before it is relayed; none: the bare relay, which stores nothing. */
  log?: SqliteRelayLog;
}

export async function startRelayServer(options: RelayOptions = {}): Promise<RelayServer> {
  const { host = '127.0.0.1', port = 0, delayMs = 0, log } = options;
  const members = new Map<string, Set<RelayMember>>();
  const seqs = new Map<string, number>();
  const http: Server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server: http, path: '/v1/ws', perMessageDeflate: false });
  const onSend = (sender: RelayMember, frame: Record<string, unknown>) => {
    const conversation = String(frame.conversation);
    const seq = (seqs.get(conversation) ?? 0) + 1;
    seqs.set(conversation, seq);
    const at = Date.now();
    const id = String(frame.id);
    const bodyJson = JSON.stringify(frame.body);
    const answer = () => {
      sender.send(JSON.stringify({ type: 'sent', id, conversation, seq, at }));
      const tail = `,"conversation":${JSON.stringify(conversation)},"seq":${seq},"id":${JSON.stringify(id)},"sender":${JSON.stringify(sender.user)},"device":${JSON.stringify(sender.user)},"at":${at},"body":${bodyJson}}`;
      relayMessage(sender, conversation, seq, members.get(conversation) ?? [], tail);
    };
    // Durable first, as the server: no one hears of a message a crash could still lose.
    if (log === undefined) answer();
    else log.append({ conversation, seq, id, sender: sender.user, at, bodyJson }, answer);
  };
  wss.on('connection', (socket) => {
    let member: RelayMember | undefined;
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (member === undefined) {
        member = join(writer(socket, delayMs), String(frame.token), members);
        const joined = member;
        socket.on('close', () => leave(joined, members));
        return;
      }
      if (frame.type === 'send') onSend(member, frame);
      else if (frame.type === 'ack') acknowledge(member, Number(frame.pos));
      else if (frame.type === 'ping') member.send('{"type":"pong"}');
    });
  });
  await new Promise<void>((resolve) => http.listen(port, host, resolve));
  const address = http.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function writer(socket: WebSocket, delayMs: number): (text: string) => void {
  if (delayMs <= 0) return (text) => socket.send(text);
  return (text) => setTimeout(() => socket.send(text), delayMs);
}

function join(send: (text: string) => void, token: string, members: Map<string, Set<RelayMember>>): RelayMember {
  const [user = '', conversations = ''] = token.split('|');
  const member = newMember(user, send);
  for (const conversation of conversations.split(',')) {
    if (conversation === '') continue;
    let set = members.get(conversation);
    if (set === undefined) members.set(conversation, (set = new Set()));
    set.add(member);
  }
  send(JSON.stringify({ type: 'welcome', user, device: user, pos: 0, serverTime: Date.now() }));
  send('{"type":"synced","pos":0}');
  return member;
}

function leave(member: RelayMember, members: Map<string, Set<RelayMember>>): void {
  for (const set of members.values()) set.delete(member);
}
