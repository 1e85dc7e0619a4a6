/**
 * Who a client is, for per-address limits and log lines. The TCP peer's
 * address, unless that peer is a proxy the operator named as trusted: then
 * the nearest untrusted address in its X-Forwarded-For. A header from
 * anyone else is ignored, or every client could name itself.
 */
import type {IncomingMessage} from 'node:http';
import {BlockList, isIP} from 'node:net';
import {MoneysocketError} from '../core/errors.js';

/** A proxy may add many hops; more than this are not read. */
const MAX_FORWARDED_HOPS = 32;

/** Parses `--trust-proxy` entries: addresses and CIDR subnets, IPv4 or IPv6. */
export function trustedProxies(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    const max = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !(prefix <= max))) {
      throw new MoneysocketError('INVALID_ARGUMENT', `trusted proxy "${entry}" is not an IP address or CIDR subnet (e.g. 127.0.0.1, 10.0.0.0/8, ::1)`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

/** '::ffff:1.2.3.4' is 1.2.3.4; a zone id is dropped; IPv6 in lower case. */
export function normalizeAddress(address: string): string {
  const bare = address.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped ? mapped[1]! : bare;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The client's address for this request (see the module comment). */
export function clientAddress(req: IncomingMessage, trusted: BlockList | undefined): string {
  const remote = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (trusted === undefined || !isTrusted(remote, trusted)) return remote;
  const header = req.headers['x-forwarded-for'];
  if (typeof header !== 'string') return remote;
  const hops = header.split(',').slice(-MAX_FORWARDED_HOPS);
  // Right to left: each hop was added by the proxy after it. Stop at the
  // first one we do not trust, or at anything that is not an address.
  let client = remote;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!.trim());
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return client;
}

/**
 * What per-address limits count by: the address for IPv4, the /64 prefix for
 * IPv6, since one subscriber usually holds a whole /64.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const width = (parts: string[]): number => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const front = groups(head);
  const back = groups(tail);
  const all = tail === undefined ? front : [...front, ...Array<string>(8 - width(front) - width(back)).fill('0'), ...back];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
