import { createNodeClient, type SentFrame } from '@parley/client/node';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { findUser } from '../find-user.js';
import { signedIn } from '../profile.js';

export interface SendOptions {
  /** How long to wait for the server's answer before giving up. */
  timeoutMs?: number;
}

const sendTimeoutDefaultMs = 20_000;

/** `parley send <username> <text>`: one message over the WebSocket; prints its seq once the server has it. */
export async function send(context: CliContext, username: string, text: string, options: SendOptions = {}): Promise<SentFrame> {
  const { profile, api } = await signedIn(context);
  const peer = await findUser(api, username);
  const conversation = await api.openDirect(peer.id);
  // Send-only: the events waiting for this device stay for `parley listen`.
  const client = createNodeClient({ url: profile.server, token: profile.token, receiveEvents: false });
  const timeoutMs = options.timeoutMs ?? sendTimeoutDefaultMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`no answer from ${profile.server} within ${timeoutMs / 1000} s; is the server running?`)),
      timeoutMs,
    );
  });
  try {
    // A refused token also rejects the send, which is the error worth reporting.
    client.connect().catch(() => undefined);
    const sent = await Promise.race([client.send(conversation.id, { text }), timeout]);
    context.print(`sent to @${peer.username}: seq ${sent.seq}`);
    return sent;
  } finally {
    clearTimeout(timer);
    await client.close();
  }
}
