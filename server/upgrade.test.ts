import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../src/lib/server/log.ts';
import { routeUpgrade, type UpgradeRoute } from './upgrade.ts';

const lines: string[] = [];
const log = createLogger('debug', (line) => lines.push(line));
let server: Server | undefined;

async function serve(routes: UpgradeRoute[]): Promise<number> {
	server = createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', (req, socket, head) => routeUpgrade(routes, req, socket, head, log));
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return (server.address() as { port: number }).port;
}

/** Sends a raw upgrade request and resolves with the status line of the answer. */
function upgrade(port: number, target: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () =>
			socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`)
		);
		let text = '';
		socket.on('data', (chunk) => (text += chunk.toString('latin1')));
		socket.on('close', () => resolve(text.split('\r\n')[0]));
		socket.on('error', reject);
	});
}

afterEach(async () => {
	lines.length = 0;
	server?.closeAllConnections();
	await new Promise((resolve) => server?.close(resolve));
});

describe('routeUpgrade', () => {
	it('refuses a request target that is not a URL with 400 (it threw before)', async () => {
		const port = await serve([]);
		expect(await upgrade(port, '//a:99999')).toBe('HTTP/1.1 400 Bad Request');
		expect(await upgrade(port, '/nowhere')).toBe('HTTP/1.1 404 Not Found');
	});

	it('turns a service that throws, or rejects, into a 500 refusal and an error log line', async () => {
		const port = await serve([
			{ prefix: '/throws', handle: () => { throw new URIError('URI malformed'); } },
			{ prefix: '/rejects', handle: async () => { await Promise.resolve(); throw new Error('async failure'); } }
		]);
		expect(await upgrade(port, '/throws/x')).toBe('HTTP/1.1 500 Internal Server Error');
		expect(await upgrade(port, '/rejects')).toBe('HTTP/1.1 500 Internal Server Error');
		const failures = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'upgrade.failed');
		expect(failures.map((f) => [f.path, f.error.message])).toEqual([['/throws/x', 'URI malformed'], ['/rejects', 'async failure']]);
	});

	it('closes with 1011 when a service fails after the socket was upgraded', async () => {
		const wss = new WebSocketServer({ noServer: true });
		const port = await serve([
			{
				prefix: '/late',
				handle: (req, socket, head) =>
					wss.handleUpgrade(req, socket, head, () => {
						throw new Error('failed after the upgrade');
					})
			}
		]);
		const ws = new WebSocket(`ws://127.0.0.1:${port}/late`);
		ws.on('error', () => {});
		const code = await new Promise((resolve) => ws.on('close', resolve));
		expect(code).toBe(1011);
		wss.close();
	});

	it('survives a client that resets its connection while a service is still checking it', async () => {
		let release!: () => void;
		const checked = new Promise<void>((resolve) => (release = resolve));
		const port = await serve([{ prefix: '/slow', handle: async (_req, socket) => { await checked; socket.write('HTTP/1.1 403 Forbidden\r\n\r\n'); } }]);
		await new Promise<void>((resolve) => {
			const socket = connect(port, '127.0.0.1', () => {
				socket.write('GET /slow HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
				setTimeout(() => {
					socket.resetAndDestroy();
					setTimeout(resolve, 50);
				}, 50);
			});
		});
		release();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await upgrade(port, '//a:99999')).toBe('HTTP/1.1 400 Bad Request');
	});
});
