import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline: the least a Node WebSocket chat relay does for the same
 * frames, with no store, no auth and no validation beyond JSON.parse. Its
 * throughput and latency are what Node and `ws` themselves allow on this
 * machine at this moment; Parley's figures are reported as ratios to them.
 *
 * It speaks the subset of the protocol the lean client uses. The `hello`
 * token is `<user>|<conversation>,<conversation>…` and makes the socket a
 * member of those conversations. A `send` is answered with `sent` and
 * relayed as a `message` (with a per-socket pos) to every member socket,
 * the sender's own included, as the server does; an `ack` sends a
 * `delivered` receipt to the socket that sent the last message it got.
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
}

interface Member {
  send: (text: string) => void;
  user: string;
  pos: number;
  lastSender: Member | undefined;
  lastConversation: string;
  lastSeq: number;
}

export async function startRelayServer(options: RelayOptions = {}): Promise<RelayServer> {
  const { host = '127.0.0.1', port = 0, delayMs = 0 } = options;
  const members = new Map<string, Set<Member>>();
  const seqs = new Map<string, number>();
  const http: Server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server: http, path: '/v1/ws', perMessageDeflate: false });
  wss.on('connection', (socket) => {
    let member: Member | undefined;
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (member === undefined) {
        member = join(writer(socket, delayMs), String(frame.token), members);
        const joined = member;
        socket.on('close', () => leave(joined, members));
        return;
      }
      if (frame.type === 'send') relaySend(member, frame, members, seqs);
      else if (frame.type === 'ack') relayAck(member);
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

function join(send: (text: string) => void, token: string, members: Map<string, Set<Member>>): Member {
  const [user = '', conversations = ''] = token.split('|');
  const member: Member = { send, user, pos: 0, lastSender: undefined, lastConversation: '', lastSeq: 0 };
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

function leave(member: Member, members: Map<string, Set<Member>>): void {
  for (const set of members.values()) set.delete(member);
}

function relaySend(sender: Member, frame: Record<string, unknown>, members: Map<string, Set<Member>>, seqs: Map<string, number>): void {
  const conversation = String(frame.conversation);
  const seq = (seqs.get(conversation) ?? 0) + 1;
  seqs.set(conversation, seq);
  const at = Date.now();
  sender.send(JSON.stringify({ type: 'sent', id: frame.id, conversation, seq, at }));
  // Serialised once and shared, with the pos spliced in per recipient, as the server does.
  const suffix = `,"conversation":${JSON.stringify(conversation)},"seq":${seq},"id":${JSON.stringify(frame.id)},"sender":${JSON.stringify(sender.user)},"device":${JSON.stringify(sender.user)},"at":${at},"body":${JSON.stringify(frame.body)}}`;
  for (const member of members.get(conversation) ?? []) {
    member.pos++;
    if (member !== sender) {
      member.lastSender = sender;
      member.lastConversation = conversation;
      member.lastSeq = seq;
    }
    member.send(`{"type":"message","pos":${member.pos}${suffix}`);
  }
}

function relayAck(member: Member): void {
  const sender = member.lastSender;
  if (sender === undefined) return;
  member.lastSender = undefined;
  sender.pos++;
  sender.send(
    JSON.stringify({ type: 'receipt', pos: sender.pos, conversation: member.lastConversation, user: member.user, status: 'delivered', seq: member.lastSeq }),
  );
}
