import { ParleyApi } from '@parley/client';
import { createNodeClient } from '@parley/client/node';

const baseUrl = process.env.PARLEY_SERVER ?? 'http://127.0.0.1:8080';
const api = new ParleyApi({ baseUrl });
// Every login makes a device (5 per user at most): name it for the app, and log out when done.
const session = await api.login({ username: 'alice', password: 'alice-secret-1', deviceName: 'sdk snippet' });
// In a browser: `new ParleyClient({ url: baseUrl, token, user })`. Keep the token and a FileStorage to resume later.
// `user` lets a load balancer keep all of Alice's devices on one node of a cluster.
const client = createNodeClient({ url: baseUrl, token: api.token, user: session.user.id });
try {
  client.on('message', (message) => console.log(`${message.sender}: ${message.body.text}`));
  await client.connect(); // resolves once caught up (`synced`)

  const [bob] = await api.searchUsers('bob');
  const withBob = await api.openDirect(bob.id);
  const sent = await client.send(withBob.id, { text: 'hello' }); // resolves once durable: { seq, at, … }
  console.log(`sent: seq ${sent.seq}`);
} finally {
  await client.close();
  await api.logout();
}
