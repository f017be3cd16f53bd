// Test support: the real sync service on a loopback HTTP server, with real accounts and rooms.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createParley, type Parley } from '../server/app.ts';
import { routeUpgrade } from '../server/upgrade.ts';
import { documentName, periodOf } from '../src/lib/core/chat/period.ts';
import { MESSAGE_AUTH, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import { parseConfig } from '../src/lib/server/config.ts';

export type TestUser = { id: string; name: string; cookie: string };

export type SyncTestServer = {
	url: string;
	wsUrl: string;
	parley: Parley;
	httpServer: Server;
	signUp(name: string): Promise<TestUser>;
	close(): Promise<void>;
};

export async function startSyncTestServer(env: Record<string, string> = {}): Promise<SyncTestServer> {
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-sync-'));
	const parley = createParley(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ORIGIN: 'http://localhost', ROOM_CREATE_RATE_LIMIT: '100000', SFU: 'off', SIGNUPS: 'open', ...env }));
	const httpServer = createServer((_req, res) => res.writeHead(404).end());
	httpServer.on('upgrade', (req, socket, head) => routeUpgrade(parley.upgradeRoutes, req, socket, head, parley.context.log));
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as { port: number };
	let n = 0;
	return {
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/sync`,
		parley,
		httpServer,
		async signUp(name) {
			n += 1;
			const response = await parley.context.auth.api.signUpEmail({
				body: { name, email: `${name.toLowerCase().replace(/\W/g, '')}-${n}-${Date.now()}@parley.test`, password: 'correct horse battery' },
				asResponse: true
			});
			const cookie = response.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0];
			const { user } = (await response.json()) as { user: { id: string } };
			return { id: user.id, name, cookie };
		},
		async close() {
			// Parley closes its WebSockets first: the HTTP server's close waits for upgraded sockets,
			// so a test that failed with clients still open would otherwise hang here, hiding its error.
			httpServer.closeAllConnections();
			const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
			await parley.close();
			await closed;
		}
	};
}

/** The `ws` WebSocket, sending a session cookie, in the shape y-websocket's provider expects. */
export function webSocketWithCookie(cookie: string): typeof WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: { cookie } });
		}
	} as unknown as typeof WebSocket;
}

/** A stock y-websocket provider for a room, as `user` (with its own presence unless `awareness` is given). */
export function connect(wsUrl: string, roomId: string, user: TestUser, doc = new Y.Doc(), params: Record<string, string> = {}, awareness?: Awareness) {
	const provider = new WebsocketProvider(wsUrl, roomId, doc, {
		WebSocketPolyfill: webSocketWithCookie(user.cookie) as never,
		params,
		awareness,
		disableBc: true,
		maxBackoffTime: 200
	});
	return { doc, provider };
}

/** The document of a room that takes this month's messages (a room's main one carries only presence and calls). */
export function liveDocument(roomId: string, time = Date.now()): string {
	return documentName(roomId, periodOf(time));
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export type RawSyncClient = Awaited<ReturnType<typeof rawSyncClient>>;

/** A raw WebSocket speaking the sync protocol by hand, recording what the server says. */
export async function rawSyncClient(wsUrl: string, room: string, user: TestUser | null) {
	const ws = new WebSocket(`${wsUrl}/${room}`, user ? { headers: { cookie: user.cookie } } : {});
	const denied: string[] = [];
	const received: Uint8Array[] = [];
	let closed: { code: number; reason: string } | undefined;
	ws.on('message', (data: Buffer) => {
		const bytes = new Uint8Array(data);
		received.push(bytes);
		const decoder = decoding.createDecoder(bytes);
		if (decoding.readVarUint(decoder) === MESSAGE_AUTH) {
			decoding.readVarUint(decoder);
			denied.push(decoding.readVarString(decoder));
		}
	});
	ws.on('error', () => {});
	ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
	await new Promise<void>((resolve) => {
		ws.once('open', () => resolve());
		ws.once('close', () => resolve());
	});
	return {
		ws,
		denied,
		received,
		closed: () => closed,
		sendUpdate(update: Uint8Array) {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MESSAGE_SYNC);
			syncProtocol.writeUpdate(e, update);
			ws.send(encoding.toUint8Array(e));
		},
		sendRaw(bytes: Uint8Array) {
			ws.send(bytes);
		}
	};
}
