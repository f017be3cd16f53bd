import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../src/lib/server/log.ts';
import type { UpgradeRoute } from './app.ts';

/** Hands a WebSocket upgrade to the service mounted at its path, or refuses it. */
export function routeUpgrade(routes: UpgradeRoute[], req: IncomingMessage, socket: Duplex, head: Buffer, log: Logger): void {
	const path = new URL(req.url ?? '/', 'http://x').pathname;
	const route = routes.find((r) => path === r.prefix || path.startsWith(r.prefix.endsWith('/') ? r.prefix : r.prefix + '/'));
	if (route) return route.handle(req, socket, head);
	log.info('upgrade.refused', { path, reason: 'unknown path' });
	refuseUpgrade(socket, 404, 'Not Found', `No WebSocket service at ${path}`);
}

export function refuseUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
	const body = JSON.stringify({ error: message });
	socket.end(
		`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
