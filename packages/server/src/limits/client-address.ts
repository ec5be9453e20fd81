import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import ipaddr from 'ipaddr.js';

/**
 * The client's address for per-address limits: the socket's peer, or, when
 * that peer is a trusted proxy, the nearest untrusted hop of
 * `X-Forwarded-For` (a client can prepend anything to that header, so only
 * hops added by trusted proxies count).
 */
export function clientAddressOf(trustedProxies: readonly string[]): (request: IncomingMessage) => string {
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => (trustedProxies.length === 0 ? (request.socket.remoteAddress ?? 'unknown') : proxyAddr(request, trust));
}

/**
 * The key an address is counted under. IPv6 clients get a whole /64 each
 * (one subscriber line), so an IPv6 address is counted by its /64 prefix;
 * IPv4-mapped IPv6 addresses count as the IPv4 address.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
