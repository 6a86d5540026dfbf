/**
 * The SSRF rule for endpoints that users supply (webhook URLs, Web Push
 * endpoints): https only, and every address the host resolves to must be a
 * public unicast one. Checked at registration and again at each send, and the
 * connection goes to the address that was checked (see `http-post.ts`), so a
 * DNS answer that changes between check and connect cannot reach inside.
 * `allowPrivate` (PARLEY_PUSH_ALLOW_PRIVATE) lifts both rules, for a server
 * whose receivers live on its own network.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export class UnsafeEndpointError extends Error {
  override readonly name = 'UnsafeEndpointError';

  /** True when the host did not resolve: that may pass, a private address does not. */
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}

/** IPv4 special-purpose blocks (IANA registry, RFC 6890 and successors): none is a public unicast address. */
const specialIpv4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.31.196.0', 24], ['192.52.193.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['192.175.48.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

/**
 * IPv6: only global unicast (2000::/3) may pass, which already leaves out
 * loopback, unspecified, IPv4-mapped, NAT64, unique-local, link-local and
 * multicast; within it these blocks are special too (IETF protocol
 * assignments with Teredo, documentation, 6to4).
 */
const specialIpv6InGlobal: readonly [string, number][] = [
  ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['3fff::', 20],
];

const special = new BlockList();
for (const [network, prefix] of specialIpv4) special.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of specialIpv6InGlobal) special.addSubnet(network, prefix, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !special.check(address, 'ipv4');
  if (family === 6) return globalUnicast.check(address, 'ipv6') && !special.check(address, 'ipv6');
  return false;
}

/** Parses and checks the URL's form; throws `UnsafeEndpointError` with a reason a user can act on. */
export function checkEndpointUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeEndpointError('is not a URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new UnsafeEndpointError('must be an https URL');
  }
  if (url.username !== '' || url.password !== '') throw new UnsafeEndpointError('must not carry credentials');
  return url;
}

export const systemResolve: Resolve = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/**
 * Resolves the URL's host and returns the address to connect to. Every
 * answer must be public, not just the first: a name that also resolves
 * inside is refused whole.
 */
export async function resolveSafeAddress(url: URL, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<ResolvedAddress> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(hostname);
  let answers: ResolvedAddress[];
  if (literal !== 0) {
    answers = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      answers = await resolve(hostname);
    } catch {
      throw new UnsafeEndpointError(`host ${hostname} does not resolve`, true);
    }
  }
  const first = answers[0];
  if (first === undefined) throw new UnsafeEndpointError(`host ${hostname} does not resolve`, true);
  if (!allowPrivate) {
    const inside = answers.find((answer) => !isPublicAddress(answer.address));
    if (inside !== undefined) {
      throw new UnsafeEndpointError(`host ${hostname} resolves to ${inside.address}, a private or special-purpose address`);
    }
  }
  return first;
}
