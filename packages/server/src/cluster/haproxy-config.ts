/** One Parley node behind HAProxy. */
export interface ClusterNode {
  /** The node's name, as HAProxy logs it and as its `nodeName` setting says it (letters, digits, `.`, `_`, `-`). */
  name: string;
  host: string;
  port: number;
}

export interface HaproxyConfigOptions {
  nodes: ClusterNode[];
  /** Where clients connect. */
  host: string;
  port: number;
  /** Client connections HAProxy holds at once, all nodes together; more wait in the kernel's queue. */
  connectionsMax?: number;
  /**
   * Connections one client address may hold at once, across every node: the
   * cluster-wide cap the nodes cannot enforce behind a proxy (their own
   * per-address socket cap is off with `trustProxy`). More are refused.
   */
  connectionsPerAddressMax?: number;
}

const namePattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The `haproxy.cfg` for Parley nodes: WebSockets (and every other request
 * that names a user) routed by a consistent hash of the `user` URL parameter,
 * so a user's devices meet on one node and only the users of a node that
 * leaves move; health checks on `/readyz`, so a draining node is taken out
 * before it closes its sockets; timeouts that let a WebSocket live for hours.
 * `docs/cluster.md` explains each line.
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const { nodes, host, port, connectionsMax = 50_000, connectionsPerAddressMax = 256 } = options;
  if (nodes.length === 0) throw new Error('an HAProxy configuration needs at least one node');
  for (const node of nodes) {
    if (!namePattern.test(node.name)) throw new Error(`a node name must be 1 to 64 letters, digits, dots, dashes or underscores: ${JSON.stringify(node.name)}`);
  }
  if (new Set(nodes.map((node) => node.name)).size !== nodes.length) throw new Error('node names must differ: HAProxy hashes users onto them');
  const servers = nodes.map((node) => `    server ${node.name} ${address(node.host, node.port)} check`);
  return `# Parley: HAProxy in front of ${nodes.length} node${nodes.length === 1 ? '' : 's'}. Generated; see docs/cluster.md for each line.
global
    log stdout format raw local0 notice
    # No stats page and no stats socket: nothing listens but the frontend.

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 5s
    retries 2
    option redispatch 1
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout tunnel 1h
    timeout client-fin 30s
    timeout server-fin 30s

frontend parley
    bind ${address(host, port)}
    maxconn ${connectionsMax}
    option forwardfor
    stick-table type ip size 1m expire 60s store conn_cur
    tcp-request connection track-sc0 src
    tcp-request connection reject if { sc_conn_cur(0) gt ${connectionsPerAddressMax} }
    default_backend parley_nodes

backend parley_nodes
    balance url_param user
    hash-type consistent
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
${servers.join('\n')}
`;
}

function address(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
