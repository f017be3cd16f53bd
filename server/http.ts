import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../src/lib/server/log.ts';
import { CLIENT_ADDRESS_HEADER } from '../src/lib/server/auth.ts';
import type { Config } from '../src/lib/server/config.ts';
import { cspHeader } from '../src/lib/server/csp.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Headers through which the server tells SvelteKit (adapter-node) the public protocol and host. */
export const PROTOCOL_HEADER = 'x-parley-proto';
export const HOST_HEADER = 'x-parley-host';

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=()',
	// Pages get SvelteKit's own header (same policy plus nonces), which replaces this one.
	'content-security-policy': cspHeader()
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

/**
 * Work done on every request before SvelteKit sees it: security headers, the public
 * origin and client address (overwriting whatever the client claimed), and the body
 * size limit (`bodyLimit`: an upload has its own, FILE_SIZE_LIMIT). Returns false when the request was answered here.
 */
export function prepareRequest(req: IncomingMessage, res: ServerResponse, config: Config, bodyLimit = MAX_BODY_BYTES): boolean {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);

	const origin = config.origin ? URL.parse(config.origin) : null;
	// Without a configured origin, the request's Host makes the URL SvelteKit sees: it must be a host.
	const host = req.headers.host;
	if (!origin && !isHost(host)) {
		res.setHeader('connection', 'close');
		sendJson(res, 400, { error: 'The Host header is missing or is not a valid host name.' });
		req.resume();
		return false;
	}
	req.headers[PROTOCOL_HEADER] = origin ? origin.protocol.slice(0, -1) : 'http';
	req.headers[HOST_HEADER] = origin ? origin.host : host;
	req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req, config);

	const length = Number(req.headers['content-length'] ?? 0);
	if (length > bodyLimit) {
		res.setHeader('connection', 'close');
		sendJson(res, 413, { error: `The request body is ${length} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MB).` });
		req.resume();
		return false;
	}
	return true;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** GET /metrics for Prometheus, with the METRICS_TOKEN as a Bearer token (compared in constant time). */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string, metrics: Metrics): Promise<void> {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('allow', 'GET, HEAD');
		return sendJson(res, 405, { error: 'Only GET reads /metrics.' });
	}
	const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
	if (!timingSafeEqual(digest(given), digest(token))) {
		res.setHeader('www-authenticate', 'Bearer realm="parley-metrics"');
		return sendJson(res, 401, { error: 'Send the METRICS_TOKEN as `Authorization: Bearer <token>` to read /metrics.' });
	}
	const body = await metrics.registry.metrics();
	res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
	res.end(req.method === 'HEAD' ? undefined : body);
}

/** A DNS name (labels of at most 63 letters, digits and hyphens), an IPv4 address or a bracketed IPv6 address, then an optional port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** A Host header a request URL can be made from, and that better-auth accepts too (it reads the session with it). */
export function isHost(value: string | undefined): value is string {
	return !!value && value.length <= 260 && HOST.test(value) && URL.canParse(`http://${value}`);
}

/** Node could not parse a request (bad request line or header, headers too large): answer as Node would, and log it. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, log: Logger): void {
	if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
	log.info('request.malformed', { code: error.code });
	const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
	const body = JSON.stringify({ error: `The request could not be read (${status.slice(4)}).` });
	socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function clientAddress(req: IncomingMessage, config: Pick<Config, 'addressHeader'>): string {
	if (config.addressHeader) {
		const raw = req.headers[config.addressHeader];
		const value = Array.isArray(raw) ? raw[0] : raw;
		// With x-forwarded-for the proxy appends the address it saw last.
		const last = value?.split(',').at(-1)?.trim();
		if (last) return last;
	}
	return req.socket.remoteAddress ?? 'unknown';
}
