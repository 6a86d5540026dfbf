import { mapConcurrent } from '../setup/map-concurrent.js';
import type { Endpoint } from '../setup/populations.js';
import type { AckBatcher } from './ack-batcher.js';
import { LeanSocket } from './lean-socket.js';
import type { MessageTraffic, SenderSlot } from './message-traffic.js';
import { SendFrames } from './send-frames.js';

/** One connection of a load: who it is, and the conversation it sends into (if it sends). */
export interface FleetMember {
  endpoint: Endpoint;
  sendsTo?: string;
  /** The server this member connects to, when not the fleet's: one chosen node of a cluster, past its load balancer. */
  url?: string;
}

export interface Fleet {
  sockets: LeanSocket[];
  senders: SenderSlot[];
  close(): Promise<void>;
}

export interface FleetOptions {
  url: string;
  acks: AckBatcher;
  traffic: MessageTraffic;
  bodyTextBytes: number;
  connectConcurrency: number;
  onProgress?: (done: number, total: number) => void;
}

/** Opens one lean socket per member, waits until each is synced, and routes their frames to `traffic`. */
export async function openFleet(members: FleetMember[], options: FleetOptions): Promise<Fleet> {
  const sockets = await mapConcurrent(
    members,
    options.connectConcurrency,
    async (member) => {
      const socket = await LeanSocket.open({
        url: member.url ?? options.url,
        token: member.endpoint.token,
        user: member.endpoint.userId,
        acks: options.acks,
      });
      options.traffic.attach(socket, member.endpoint.userId);
      return socket;
    },
    options.onProgress,
  );
  const senders: SenderSlot[] = [];
  members.forEach((member, index) => {
    const socket = sockets[index];
    if (member.sendsTo === undefined || socket === undefined) return;
    senders.push({ socket, conversation: member.sendsTo, frames: new SendFrames(member.sendsTo, options.bodyTextBytes), inFlight: 0 });
  });
  return {
    sockets,
    senders,
    close: async () => {
      options.traffic.close();
      await Promise.all(sockets.map((socket) => socket.close()));
    },
  };
}
