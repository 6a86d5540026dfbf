import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { ProcessCluster } from '../testing/process-cluster.js';
import { processOfConnection } from '../testing/process-of-connection.js';
import { webhookSecret } from '../testing/push-stand-ins/push-stand-ins.js';
import { WebhookStandIn } from '../testing/push-stand-ins/webhook-stand-in.js';
import { createUser, openDirect, request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

/** The dispatcher leases a job for five request timeouts: 5 s here. */
const pushRequestTimeoutMs = 1_000;
const leaseMs = pushRequestTimeoutMs * 5;

describe('a push job claimed by a node that is then killed mid-send', () => {
  let cluster: ProcessCluster | undefined;
  let standIn: WebhookStandIn | undefined;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await cluster?.close();
    cluster = undefined;
    await standIn?.http.close();
  });

  it('is sent by another node once its lease ends, and only once', async () => {
    standIn = await WebhookStandIn.start(webhookSecret, () => Date.now());
    cluster = await ProcessCluster.start({
      nodes: 2,
      env: {
        PARLEY_WEBHOOK_SECRET: webhookSecret,
        PARLEY_PUSH_ALLOW_PRIVATE: 'true',
        PARLEY_PUSH_REQUEST_TIMEOUT_MS: String(pushRequestTimeoutMs),
        PARLEY_PUSH_POLL_INTERVAL_MS: '50',
        PARLEY_PUSH_COALESCE_MS: '0',
      },
    });
    const [first] = cluster.nodes.map((node) => node.url) as [string];
    const alice = await createUser(first, 'pusha');
    const bob = await createUser(first, 'pushb');
    const conversation = await openDirect(first, alice, bob);
    // Bob's only device is offline and registered for webhooks: a message to him makes a push job.
    const registered = await request(first, 'PUT', '/v1/devices/current/push', { token: bob.token, body: { provider: 'webhook', url: standIn.urlFor('bob') } });
    expect(registered.status).toBe(204);

    const held = standIn.http.holdNext('/hooks/');
    const socket = await TestSocket.connect(first, alice.token);
    sockets.push(socket);
    socket.send({ type: 'send', id: crypto.randomUUID(), conversation, body: { text: 'are you there?' } });
    await socket.next('sent');

    // Whichever node claimed the job is sending it now: kill that one mid-send.
    const { remotePort, dropped } = await held;
    const sender = await processOfConnection(remotePort);
    const claimant = cluster.nodes.find((node) => node.process.child.pid === sender);
    if (claimant === undefined) throw new Error(`the held notification came from process ${sender}, no node of the cluster`);
    const killedAtMs = Date.now();
    await cluster.kill(claimant.name);
    await dropped;
    expect(standIn.delivered).toEqual([]);

    await eventually(() => standIn?.delivered.length === 1, 'the other node to send the notification', leaseMs + 5_000);
    const resentAfterMs = Date.now() - killedAtMs;
    expect(standIn.delivered[0]?.payload).toMatchObject({ conversation, seq: 1, count: 1 });
    // Polled twenty times a second meanwhile: a second copy would show within this wait.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(standIn.delivered).toHaveLength(1);
    expect(standIn.problems).toEqual([]);
    console.info(`push job of killed ${claimant.name} sent by the other node ${resentAfterMs} ms after the kill (lease ${leaseMs} ms)`);
  }, 30_000);
});
