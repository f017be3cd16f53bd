import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { AddressRefused, isPublicAddress, publicOnlyLookup, type Lookup } from './public-address.ts';

export type PublicAgentOptions = AgentOptions & {
	/** The only port it connects to (443 for push services); undefined: any. */
	onlyPort?: number;
	/** Resolves names (node:dns by default); every address it gives must be public. */
	resolve?: Lookup;
};

/** Thrown (as a connection error) when a connection is asked for on another port than the allowed one. */
export class PortRefused extends Error {
	override name = 'PortRefused';
	readonly code = 'ERR_PORT_REFUSED';
	readonly port: number;
	constructor(port: number) {
		super(`port ${port} is not allowed`);
		this.port = port;
	}
}

/**
 * An HTTPS agent that connects only to public addresses (and one port): the address policy is
 * applied when each connection is made, on the address actually connected to, so nothing that
 * was checked earlier (a subscription's host) can be swapped for a private one later.
 */
export class PublicAgent extends Agent {
	readonly #onlyPort: number | undefined;
	readonly #lookup: ReturnType<typeof publicOnlyLookup>;

	constructor({ onlyPort, resolve, ...options }: PublicAgentOptions = {}) {
		super(options);
		this.#onlyPort = onlyPort;
		this.#lookup = publicOnlyLookup(resolve);
	}

	override createConnection(options: RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
		const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
		const port = Number(options.port ?? 443);
		const refused = this.#onlyPort !== undefined && port !== this.#onlyPort ? new PortRefused(port) : isIP(host) && !isPublicAddress(host) ? new AddressRefused(host, host) : null;
		if (refused) {
			process.nextTick(() => callback?.(refused, undefined as unknown as Duplex));
			return undefined;
		}
		return super.createConnection({ ...options, lookup: this.#lookup } as RequestOptions, callback);
	}
}
