import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Which addresses the server may connect to on a member's say-so (push endpoints): public
 * unicast only, so a subscription cannot aim the server at loopback, the LAN or the cloud's
 * metadata service.
 */
const NOT_PUBLIC_V4: [string, number][] = [
	['0.0.0.0', 8], // "this network", unspecified
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, broadcast
];
/** Inside global unicast (2000::/3), the blocks that are not public. Everything outside 2000::/3 is refused. */
const NOT_PUBLIC_V6: [string, number][] = [
	['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
	['2001:db8::', 32], // documentation
	['2002::', 16], // 6to4: wraps an IPv4 address
	['3fff::', 20] // documentation
];

const notPublic = new BlockList();
for (const [net, prefix] of NOT_PUBLIC_V4) notPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of NOT_PUBLIC_V6) notPublic.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IPv4 or IPv6 literal) is a public unicast address. Anything unparsable is not. */
export function isPublicAddress(address: string): boolean {
	const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	if (isIPv4(ip)) return !notPublic.check(ip, 'ipv4');
	if (isIP(ip) !== 6) return false;
	const groups = ipv6Groups(ip);
	if (!groups) return false;
	const embedded = embeddedIpv4(groups);
	if (embedded) return isPublicAddress(embedded);
	return groups[0] >= 0x2000 && groups[0] <= 0x3fff && !notPublic.check(ip, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96) address. */
function embeddedIpv4(g: number[]): string | null {
	const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
	const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
	if (!mapped && !nat64) return null;
	return [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 literal (one already checked by isIP), or null. */
function ipv6Groups(ip: string): number[] | null {
	let text = ip.toLowerCase();
	const dotted = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number);
		text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
	const left = parse(head);
	const right = parse(tail);
	const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
	return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** Thrown (as a connection error) when a host is, or resolves to, an address that is not public. */
export class AddressRefused extends Error {
	override name = 'AddressRefused';
	readonly code = 'ERR_ADDRESS_NOT_PUBLIC';
	readonly host: string;
	readonly address: string;
	constructor(host: string, address: string) {
		super(`${host} is at ${address}, which is not a public address`);
		this.host = host;
		this.address = address;
	}
}

export type Lookup = (hostname: string, options: LookupOptions & { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
const systemLookup: Lookup = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** Every address `host` resolves to (itself when it is an IP literal); rejects with AddressRefused unless all are public. */
export function resolvePublic(host: string, lookup: Lookup = systemLookup, family?: number): Promise<LookupAddress[]> {
	const literal = host.replace(/^\[|\]$/g, '');
	if (isIP(literal)) {
		return isPublicAddress(literal) ? Promise.resolve([{ address: literal, family: isIP(literal) }]) : Promise.reject(new AddressRefused(host, literal));
	}
	return new Promise((resolve, reject) => {
		lookup(host, { all: true, ...(family ? { family } : {}) }, (error, addresses) => {
			if (error) return reject(error);
			const refused = addresses.find((a) => !isPublicAddress(a.address));
			if (refused || !addresses.length) return reject(new AddressRefused(host, refused?.address ?? 'no address'));
			resolve(addresses);
		});
	});
}

type NetLookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls connections that fails unless every address of the host is public:
 * the check happens at connect time on the very addresses used, so a name that changes
 * what it points to after it was checked (DNS rebinding) is still refused.
 */
export function publicOnlyLookup(lookup: Lookup = systemLookup) {
	return (hostname: string, options: LookupOptions, callback: NetLookupCallback): void => {
		resolvePublic(hostname, lookup, typeof options.family === 'number' ? options.family : undefined).then(
			(addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
			(error: NodeJS.ErrnoException) => callback(error, '')
		);
	};
}
