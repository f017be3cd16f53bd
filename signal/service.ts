import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import { ExpressPeerServer } from 'peer';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RoomEvents } from '../src/lib/server/events.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';
import type { Rooms } from '../src/lib/server/rooms.ts';
import type { UpgradeAuth } from '../src/lib/server/upgrade-auth.ts';
import { refuseUpgrade } from '../server/upgrade.ts';

export const SIGNAL_PREFIX = '/peerjs';
/** The PeerJS "key" every client sends; access is controlled by issued peer ids, not by it. */
export const PEERJS_KEY = 'parley';
/** An issued peer id must be used within this time, once. */
const ISSUE_TTL_MS = 60_000;
/** Largest signalling frame by default: an SDP offer is ~10 KB, so 64 KiB leaves room and stops floods. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
/** What a PeerJS client puts in its socket URL (peerjs 1.5: key, id, token, version); the peer server reads key, id, token. */
const REQUIRED_PARAMS = ['key', 'id', 'token'] as const;
const OPTIONAL_PARAMS = ['version'] as const;

/**
 * The signalling socket's query, or why it is refused: each of key, id and token exactly once
 * (the peer server registers the last `id`, we check the one there is), nothing unexpected.
 */
export function signallingQuery(search: URLSearchParams): { key: string; id: string; token: string; version?: string } | string {
	const known = new Set<string>([...REQUIRED_PARAMS, ...OPTIONAL_PARAMS]);
	for (const name of new Set(search.keys())) {
		if (!known.has(name)) return `Unexpected parameter "${name}"`;
		if (search.getAll(name).length > 1) return `Parameter "${name}" is repeated`;
	}
	for (const name of REQUIRED_PARAMS) if (!search.get(name)) return `Parameter "${name}" is missing`;
	return { key: search.get('key')!, id: search.get('id')!, token: search.get('token')!, version: search.get('version') ?? undefined };
}

type Issued = { peerId: string; userId: string; roomId: string; issuedAt: number; used: boolean; socket?: WebSocket };

/**
 * The PeerJS signalling server at /peerjs, behind Parley's own checks: a peer id is issued by
 * the server to a signed-in member for one room's call, can be used once, only by that person,
 * and signalling messages only reach peers of the same room.
 */
export function createSignalService(options: {
	/** Checks the origin and sign-in session of each socket (and ends it when that session ends). */
	authenticate: UpgradeAuth;
	rooms: Rooms;
	events: RoomEvents;
	log: Logger;
	metrics: Pick<Metrics, 'connections'>;
	/** Asked before a member is given a peer id; throws (an ApiFailure) to refuse, e.g. when the call is full. */
	admit?: (roomId: string) => void;
	/** Largest frame a signalling socket may send; a bigger one closes that socket (1009). */
	maxFrameBytes?: number;
}) {
	const { authenticate, rooms, events, log, metrics } = options;
	const issued = new Map<string, Issued>();
	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES });

	// The peer package mounts itself on an Express app; its own WebSocket server is replaced by ours
	// (noServer), so the HTTP server it asks for is never used.
	const peerApp = ExpressPeerServer({} as Server, {
		path: '/',
		key: PEERJS_KEY,
		allow_discovery: false,
		alive_timeout: 60_000,
		expire_timeout: 10_000,
		createWebSocketServer: () => wss
	});
	express().use(SIGNAL_PREFIX, peerApp);
	peerApp.on('disconnect', (client: { getId(): string }) => issued.delete(client.getId()));
	// The peer server reports socket errors (a tab closed mid-call resets its socket) as 'error'
	// events on the app; unheard, such an event would take the whole process down.
	peerApp.on('error', (error: Error) => log.warn('signal.socket_error', { error: error.message }));

	/** A new peer id for this person in this room's call (the room membership is checked). */
	function issue(roomId: string, userId: string): string {
		rooms.requireMember(roomId, userId);
		options.admit?.(roomId);
		const peerId = `p${randomBytes(16).toString('hex')}`;
		issued.set(peerId, { peerId, userId, roomId, issuedAt: Date.now(), used: false });
		// Forget ids never used.
		for (const [id, entry] of issued) if (!entry.used && Date.now() - entry.issuedAt > ISSUE_TTL_MS) issued.delete(id);
		return peerId;
	}

	const stopListening = events.onChange((change) => {
		for (const entry of issued.values()) {
			if (entry.roomId !== change.roomId) continue;
			if (change.kind === 'deleted' || change.revoked.includes(entry.userId)) entry.socket?.close(4403, 'No longer a member of this room');
		}
	});

	/** Drops signalling messages addressed to a peer outside the sender's room. */
	function guard(ws: WebSocket, sender: Issued) {
		const emit = ws.emit.bind(ws);
		ws.emit = ((event: string, ...args: unknown[]) => {
			if (event === 'message') {
				try {
					const message = JSON.parse(String(args[0])) as { type?: string; dst?: string };
					if (message.dst !== undefined) {
						const target = issued.get(message.dst);
						if (!target || target.roomId !== sender.roomId) {
							log.warn('signal.message_dropped', { roomId: sender.roomId, userId: sender.userId, type: message.type });
							return false;
						}
					}
				} catch {
					return false;
				}
			}
			return emit(event, ...args);
		}) as typeof ws.emit;
	}

	return {
		prefix: SIGNAL_PREFIX,
		issue,
		async handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
			const url = new URL(req.url ?? '/', 'http://x');
			const query = signallingQuery(url.searchParams);
			if (typeof query === 'string') return refuseUpgrade(socket, 400, 'Bad Request', `${query}: a signalling socket takes key, id and token once each`);
			if (query.key !== PEERJS_KEY) return refuseUpgrade(socket, 400, 'Bad Request', 'Unknown signalling key');
			const peerId = query.id;
			const caller = await authenticate(req);
			if (caller === 'cross-site') return refuseUpgrade(socket, 403, 'Forbidden', 'Cross-site connection refused');
			if (caller === 'signed-out') return refuseUpgrade(socket, 401, 'Unauthorized', 'Sign in to take part in calls');
			const entry = issued.get(peerId);
			if (!entry || entry.userId !== caller.userId) return refuseUpgrade(socket, 403, 'Forbidden', 'This peer id was not issued to you');
			if (entry.used) return refuseUpgrade(socket, 403, 'Forbidden', 'This peer id was already used; ask for a new one');
			if (Date.now() - entry.issuedAt > ISSUE_TTL_MS) return refuseUpgrade(socket, 403, 'Forbidden', 'This peer id has expired; ask for a new one');
			try {
				rooms.requireMember(entry.roomId, entry.userId);
			} catch {
				return refuseUpgrade(socket, 403, 'Forbidden', 'You are not a member of this room');
			}
			entry.used = true;
			// The peer server parses the URL again: hand it only what was checked.
			req.url = `${url.pathname}?${new URLSearchParams({ key: query.key, id: peerId, token: query.token }).toString()}`;
			wss.handleUpgrade(req, socket, head, (ws) => {
				entry.socket = ws;
				guard(ws, entry);
				const unwatch = caller.watch((reason) => ws.close(4401, reason));
				metrics.connections.inc({ service: 'signal' });
				ws.on('close', () => {
					metrics.connections.dec({ service: 'signal' });
					issued.delete(peerId);
					unwatch();
				});
				log.info('signal.connected', { roomId: entry.roomId, userId: entry.userId });
				wss.emit('connection', ws, req);
			});
		},
		close() {
			stopListening();
			for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
			wss.close();
		}
	};
}

export type SignalService = ReturnType<typeof createSignalService>;
