import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../src/lib/server/log.ts';

/** A WebSocket service mounted under a path prefix (`/sync/`, `/peerjs`, `/sfu`). */
export type UpgradeRoute = {
	prefix: string;
	/** May throw or reject: the router turns that into a refusal (see routeUpgrade). */
	handle(req: IncomingMessage, socket: Duplex, head: Buffer): void | Promise<void>;
};

/** A close frame with 1011 (server error), for a socket that was already upgraded when its handler failed. */
const CLOSE_SERVER_ERROR = Buffer.from([0x88, 0x02, 0x03, 0xf3]);

/** The path of an upgrade's request target, or null when it is not a URL (`//a:99999`, `http://[::1/`). */
export function upgradePath(url: string | undefined): string | null {
	return URL.parse(url ?? '/', 'http://x')?.pathname ?? null;
}

/**
 * Hands a WebSocket upgrade to the service mounted at its path, or refuses it. Whatever a service
 * throws or rejects with becomes a refusal (or a 1011 close once upgraded) and a log line: a bad
 * upgrade ends that connection, never the process.
 */
export function routeUpgrade(routes: UpgradeRoute[], req: IncomingMessage, socket: Duplex, head: Buffer, log: Logger): void {
	// Node hands over an upgrade's socket with no 'error' listener: a reset while a service checks
	// the session would otherwise be an uncaught error.
	socket.on('error', (error) => {
		log.debug('upgrade.socket_error', { error: error.message });
		socket.destroy();
	});
	const failed = (error: unknown) => {
		log.error('upgrade.failed', { path: upgradePath(req.url) ?? req.url?.slice(0, 200), error });
		if (!written(socket)) refuseUpgrade(socket, 500, 'Internal Server Error', 'The server could not handle this connection. Try again in a moment.');
		else if (!socket.destroyed) socket.end(CLOSE_SERVER_ERROR);
	};
	try {
		const path = upgradePath(req.url);
		if (path === null) {
			log.info('upgrade.refused', { reason: 'malformed url' });
			return refuseUpgrade(socket, 400, 'Bad Request', 'The request target is not a valid URL path.');
		}
		const route = routes.find((r) => path === r.prefix || path.startsWith(r.prefix.endsWith('/') ? r.prefix : r.prefix + '/'));
		if (!route) {
			log.info('upgrade.refused', { path: path.slice(0, 200), reason: 'unknown path' });
			return refuseUpgrade(socket, 404, 'Not Found', `No WebSocket service at ${path.slice(0, 200)}`);
		}
		const handled = route.handle(req, socket, head);
		if (handled instanceof Promise) handled.catch(failed);
	} catch (error) {
		failed(error);
	}
}

/** Whether anything (a 101 or a refusal) has gone out on the socket yet. */
function written(socket: Duplex): boolean {
	return ((socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0) > 0 || socket.writableEnded;
}

export function refuseUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
	if (!socket.writable) return void socket.destroy();
	const body = JSON.stringify({ error: message });
	socket.end(
		`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
