import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_SHUTDOWN, CLOSE_UNAUTHENTICATED } from '../src/lib/core/chat/protocol.ts';
import { MAX_CLOCK_SKEW_MS, MAX_UPDATE_BYTES, MESSAGES, type MessageValue } from '../src/lib/core/chat/schema.ts';
import { isApiFailure } from '../src/lib/server/api-failure.ts';
import type { SyncLimits } from '../src/lib/server/config.ts';
import type { RoomChange, RoomEvents } from '../src/lib/server/events.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';
import type { NewMessage } from '../src/lib/server/push.ts';
import type { Rooms } from '../src/lib/server/rooms.ts';
import type { UpgradeAuth } from '../src/lib/server/upgrade-auth.ts';
import { Compactor } from './compactor.ts';
import { RoomRegistry, type RoomRegistryOptions } from './room-registry.ts';
import type { Peer, RoomSession } from './room-session.ts';
import { parseDocumentName, periodOf, type Period } from '../src/lib/core/chat/period.ts';
import { HEARTBEAT } from './protocol.ts';
import { SyncStore } from './store.ts';
import { refuseUpgrade, upgradePath } from '../server/upgrade.ts';
import type { DatabaseSync } from 'node:sqlite';

export const SYNC_PREFIX = '/sync/';

export type SyncOptions = {
	db: DatabaseSync;
	/** Checks the origin and sign-in session of each connection (and ends it when that session ends). */
	authenticate: UpgradeAuth;
	rooms: Rooms;
	events: RoomEvents;
	log: Logger;
	limits: SyncLimits;
	/** How long a room document stays loaded after its last connection closes (30 s). */
	idleMs?: number;
	/** A connection that heard nothing for this long gets a heartbeat (protocol.ts); 10 s unless given. */
	heartbeatMs?: number;
	/** New messages arrived in a room (oldest first): e.g. to notify people who are away. */
	onMessages?: (roomId: string, added: NewMessage[], present: Set<string>) => void;
} & Pick<RoomRegistryOptions, 'calls' | 'onCallJoin' | 'metrics' | 'onMessagesRemoved'> & { metrics: Pick<Metrics, 'connections'> };

const PING_MS = 30_000;
/** Close code when a person has the room open on more connections than allowed. */
export const CLOSE_TOO_MANY = 4429;

/** The room and period in `/sync/<roomId>` or `/sync/<roomId>/<YYYY-MM>` (period.ts), or null when the address is not one. */
export function documentOf(url: string | undefined): { roomId: string; period: Period | '' } | null {
	const path = upgradePath(url);
	if (path === null || !path.startsWith(SYNC_PREFIX)) return null;
	try {
		return parseDocumentName(decodeURIComponent(path.slice(SYNC_PREFIX.length)));
	} catch {
		return null;
	}
}
/** Leaves room to read an oversized update and say why it is refused, rather than dropping the socket. */
const MAX_FRAME_BYTES = 2 * MAX_UPDATE_BYTES;

/**
 * The y-websocket service at /sync/<roomId>, per connection: authenticates the session and room
 * membership, holds each person to their number of connections, joins them to the loaded room
 * (`room-registry.ts`), keeps the socket alive, and cuts people off the moment they lose access.
 */
export function createSyncService(options: SyncOptions) {
	const { authenticate, rooms, events, log, metrics } = options;
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
	const sockets = new Map<Peer, WebSocket>();
	// A database in a file can be compacted from another thread; one in memory only from this one.
	const file = options.db.location();
	const compactor = file ? new Compactor(file) : undefined;
	const registry = new RoomRegistry({
		store: new SyncStore(options.db),
		compactor,
		log,
		limits: options.limits,
		metrics,
		idleMs: options.idleMs ?? 30_000,
		calls: options.calls,
		onCallJoin: options.onCallJoin,
		onMessagesRemoved: options.onMessagesRemoved,
		// Members' lobbies refresh (unread counts, order); people away may be notified of the latest message.
		onActivity(room, added) {
			const { roomId } = room;
			events.emit({ roomId, kind: 'activity', notify: rooms.memberIds(roomId), revoked: [] });
			const messages = room.doc.getMap(MESSAGES);
			const told = added.flatMap(({ key, authorId }) => {
				const value = messages.get(key) as MessageValue | undefined;
				// A message of files alone is told by their names.
				const text = value?.text || (value?.files ? `📎 ${value.files.map((file) => file.name).join(', ')}` : '');
				return text ? [{ authorId, text, mentions: value?.mentions }] : [];
			});
			if (told.length && options.onMessages) options.onMessages(roomId, told, registry.usersPresent(roomId));
		}
	});

	const stopListening = events.onChange((change) => {
		for (const room of registry.sessionsOf(change.roomId)) closeRevoked(room, change);
		if (change.kind === 'deleted') registry.unloadRoom(change.roomId, false);
	});

	function closeRevoked(room: RoomSession, change: RoomChange) {
		for (const peer of [...room.peers]) {
			if (change.kind === 'deleted') peer.close(CLOSE_NOT_FOUND, 'This room was deleted');
			else if (change.revoked.includes(peer.userId)) peer.close(CLOSE_FORBIDDEN, 'You are no longer a member of this room');
			else if (change.kind === 'role-changed') {
				try {
					peer.role = rooms.requireMember(change.roomId, peer.userId).role;
				} catch {
					peer.close(CLOSE_FORBIDDEN, 'You are no longer a member of this room');
				}
			}
		}
	}

	async function accept(ws: WebSocket, req: IncomingMessage, roomId: string, period: Period | '') {
		// Frames can arrive while the session is checked: hold them until then.
		const early: Uint8Array[] = [];
		const hold = (data: Buffer) => early.push(new Uint8Array(data));
		ws.on('message', hold);

		const caller = await authenticate(req);
		if (caller === 'cross-site') return ws.close(CLOSE_FORBIDDEN, 'Cross-site connection refused');
		if (caller === 'signed-out') return ws.close(CLOSE_UNAUTHENTICATED, 'Sign in to sync this room');
		const userId = caller.userId;
		let member;
		try {
			member = rooms.requireMember(roomId, userId);
		} catch (error) {
			if (!isApiFailure(error)) throw error;
			return ws.close(CLOSE_NOT_FOUND, 'No such room, or you are not a member of it');
		}
		if (period) {
			if (member.room.history !== 'monthly') return ws.close(CLOSE_NOT_FOUND, 'This room keeps its history in one document');
			// Months the room lived through only: nobody makes documents for the years before it or after now.
			if (period < periodOf(member.room.createdAt - MAX_CLOCK_SKEW_MS) || period > periodOf(Date.now() + MAX_CLOCK_SKEW_MS)) {
				return ws.close(CLOSE_NOT_FOUND, `The room has no history for ${period}`);
			}
		}
		if (ws.readyState !== ws.OPEN) return;
		const room = registry.open(roomId, period, member.room.history);
		const open = registry.connections(room.name, userId);
		if (open >= options.limits.connectionsPerRoom) {
			log.warn('sync.too_many_connections', { roomId, period, userId, open });
			registry.release(room.name);
			return ws.close(CLOSE_TOO_MANY, `You have this room open ${open} times already; close it somewhere else first`);
		}

		let lastSent = Date.now();
		const wantsAck = URL.parse(req.url ?? '/', 'http://x')?.searchParams.get('ack') === '1';
		const peer: Peer = {
			userId,
			role: member.role,
			joinedAt: member.joinedAt,
			wantsAck,
			send: (message) => {
				if (ws.readyState !== ws.OPEN) return;
				ws.send(message);
				lastSent = Date.now();
			},
			close: (code, reason) => ws.close(code, reason)
		};
		sockets.set(peer, ws);
		const unwatch = caller.watch((reason) => ws.close(CLOSE_UNAUTHENTICATED, reason));
		room.join(peer);
		metrics.connections.inc({ service: 'sync' });
		log.info('sync.connected', { roomId, period, userId });

		ws.off('message', hold);
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			if (!isBinary) return peer.close(CLOSE_FORBIDDEN, 'The sync protocol is binary');
			room.receive(peer, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		});
		for (const data of early) room.receive(peer, data);

		// A quiet document (a month nobody writes in) still tells the client the link is alive.
		const heartbeatMs = options.heartbeatMs ?? 10_000;
		const heartbeat = setInterval(() => {
			if (Date.now() - lastSent >= heartbeatMs) peer.send(HEARTBEAT);
		}, heartbeatMs);
		let alive = true;
		ws.on('pong', () => (alive = true));
		const ping = setInterval(() => {
			if (!alive) return ws.terminate();
			alive = false;
			ws.ping();
		}, PING_MS);
		ws.on('close', () => {
			clearInterval(ping);
			clearInterval(heartbeat);
			unwatch();
			sockets.delete(peer);
			room.leave(peer);
			registry.release(room.name);
			metrics.connections.dec({ service: 'sync' });
			log.info('sync.disconnected', { roomId, period, userId });
		});
	}

	return {
		prefix: SYNC_PREFIX,
		handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
			const target = documentOf(req.url);
			if (target === null) return refuseUpgrade(socket, 400, 'Bad Request', 'The address is not a room document (/sync/<roomId> or /sync/<roomId>/<YYYY-MM>).');
			const { roomId, period } = target;
			wss.handleUpgrade(req, socket, head, (ws) => {
				ws.on('error', (error) => log.warn('sync.socket_error', { roomId, period, error: error.message }));
				accept(ws, req, roomId, period).catch((error) => {
					log.error('sync.accept_failed', { roomId, period, error });
					ws.close(1011, 'Server error');
				});
			});
		},
		/** Loaded room documents, for tests and benchmarks. */
		loadedRooms: () => registry.loaded(),
		close() {
			stopListening();
			for (const ws of sockets.values()) ws.close(CLOSE_SHUTDOWN, 'Server shutting down');
			registry.close();
			void compactor?.close();
			wss.close();
		}
	};
}

export type SyncService = ReturnType<typeof createSyncService>;
