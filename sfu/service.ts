import type { IncomingMessage } from 'node:http';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Config } from '../src/lib/server/config.ts';
import type { RoomEvents } from '../src/lib/server/events.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';
import type { Rooms } from '../src/lib/server/rooms.ts';
import type { Secrets } from '../src/lib/server/secrets.ts';
import type { UpgradeAuth } from '../src/lib/server/upgrade-auth.ts';
import { refuseUpgrade } from '../server/upgrade.ts';
import { defaultInterface, writeJanusConfig } from './janus-config.ts';
import { janusInstalled, JanusProcess } from './janus-process.ts';
import { freePort } from '../server/free-port.ts';
import { ApiFailure } from '../src/lib/server/api-failure.ts';
import { CallRouter } from './call-router.ts';
import { JanusRooms, type JanusRoom } from './janus-rooms.ts';
import { signJanusRoomToken, signJanusToken } from './janus-token.ts';
import { SfuConnection } from './sfu-connection.ts';
import { SfuTickets } from './sfu-tickets.ts';
import type { SfuTicket } from '../src/lib/core/call/presence.ts';
import type { ServerModeration } from '../src/lib/core/call/moderation.ts';
import { parseFeedDisplay } from '../src/lib/core/call/sfu-display.ts';

export const SFU_PREFIX = '/sfu';
/** Close code when the session a connection was opened with has ended (as on /sync). */
const CLOSE_SESSION_ENDED = 4401;
/**
 * Janus' tokens never leave the server: the proxy signs a fresh one into each request it
 * forwards (Janus checks the session token on every request), so they need only outlive the trip.
 */
const TOKEN_TTL_S = 60;
/** Close code for a connection whose person lost access to the room (as on /sync and /peerjs). */
const NO_LONGER_MEMBER = 4403;
/** The /sfu close code for someone an owner or admin removed from the call. */
const REMOVED_FROM_CALL = 4409;
/** How long a request for SFU credentials waits for its sender's call presence to arrive. */
const CALL_PRESENCE_WAIT_MS = 3000;
const PLUGINS = '/usr/lib/x86_64-linux-gnu/janus/plugins';
const TRANSPORTS = '/usr/lib/x86_64-linux-gnu/janus/transports';

/**
 * The SFU side of Parley: runs Janus as a child process when it is installed (or uses an
 * external Janus), and is the only way browsers reach it: `/sfu` is a WebSocket proxy to Janus'
 * API, opened with a ticket for one call (checked with the session and the room membership),
 * that lets through only what a participant needs (`janus-guard.ts`) and ends a person's
 * connections, and kicks their feeds, when they lose access to the room. Janus itself listens
 * on 127.0.0.1 and checks the signed tokens the proxy adds.
 */
export function createSfuService(options: { config: Config; secrets: Secrets; authenticate: UpgradeAuth; rooms: Rooms; events: RoomEvents; log: Logger; metrics: Metrics }) {
	const { config, secrets, authenticate, log, metrics } = options;
	const maxPayload = config.sfu.maxMessageBytes;
	const wss = new WebSocketServer({ noServer: true, maxPayload, handleProtocols: (protocols) => (protocols.has('janus-protocol') ? 'janus-protocol' : false) });
	let janus: JanusProcess | null = null;
	let url: string | undefined = config.sfu.externalUrl;
	const dir = join(config.dataDir, 'janus');
	const pidFile = join(dir, 'janus.pid');
	const rooms = new JanusRooms({ url: () => url, adminKey: secrets.janusAdminKey, tokenSecret: secrets.janusTokenSecret, log, bitrate: config.sfu.publisherBitrate });
	/** Calls move to the SFU only once it answers: an external one is taken as up, a child Janus from its first answer until it exits. */
	const sfuAnswering = () => url !== undefined && (janus ? janus.answering : config.sfu.externalUrl !== undefined);
	const router = new CallRouter({ rooms, available: sfuAnswering, publishers: config.roomMemberLimit, log });
	metrics.countCalls(() => router.callsByTopology());
	const tickets = new SfuTickets();
	/** Each call's lock and removals, as its room's presence last said. */
	const moderations = new Map<string, ServerModeration>();
	/** Open /sfu connections, with the videoroom each was opened for. */
	const connections = new Map<SfuConnection, JanusRoom>();
	const isMember = (roomId: string, userId: string) => options.rooms.memberIds(roomId).includes(userId);

	// Removed, left, or the room deleted: that person's SFU connections end and their feeds leave the videoroom.
	const stopListening = options.events.onChange((change) => {
		if (change.revoked.length) endSfuOf(change.roomId, change.revoked, NO_LONGER_MEMBER, 'No longer a member of this room');
	});

	/** These people's tickets, /sfu connections and feeds in the call's videoroom end (removed from the room, or from its call). */
	function endSfuOf(roomId: string, userIds: string[], code: number, reason: string) {
		tickets.revoke(roomId, userIds);
		const kicked = new Set<JanusRoom>();
		for (const [connection, room] of connections) {
			const binding = connection.binding;
			if (binding.roomId !== roomId || !userIds.includes(binding.userId)) continue;
			connections.delete(connection);
			kicked.add(room);
			connection.end(code, reason);
		}
		const current = router.janusRoom(roomId);
		if (current) kicked.add(current);
		for (const room of kicked) void kickFeedsOf(room, userIds);
	}

	/** Kicks every feed in the videoroom that the proxy named after one of these people. */
	async function kickFeedsOf(room: JanusRoom, userIds: string[]) {
		const inRoom = await rooms.participants(room).catch(() => []);
		for (const p of inRoom) {
			const owner = parseFeedDisplay(p.display);
			if (owner && userIds.includes(owner.userId)) await rooms.kick(room, p.id);
		}
	}

	async function start(): Promise<void> {
		if (config.sfu.mode === 'off' || url || !janusInstalled()) {
			log.info('sfu.mode', { mode: config.sfu.mode === 'off' ? 'off' : url ? 'external' : 'not installed' });
			return;
		}
		// A Janus left behind by a crashed Parley would hold the ports: stop it first.
		if (existsSync(pidFile)) {
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
			} catch {
				// already gone
			}
			rmSync(pidFile, { force: true });
		}
		const wsPort = await freePort();
		writeJanusConfig({
			dir,
			wsPort,
			rtpPortRange: config.sfu.rtpPorts,
			adminKey: secrets.janusAdminKey,
			tokenAuthSecret: secrets.janusTokenSecret,
			iface: config.sfu.iface ?? defaultInterface(),
			natPublicIp: config.sfu.publicIp,
			pluginsFolder: PLUGINS,
			transportsFolder: TRANSPORTS
		});
		janus = new JanusProcess({ configDir: dir, wsPort, tokenSecret: secrets.janusTokenSecret, log });
		let first = true;
		janus.onReady = () => {
			if (janus?.pid) writeFileSync(pidFile, String(janus.pid));
			// After a restart Janus has no rooms: calls on the SFU get new ones and their people rejoin.
			// Each time, the first too: calls that grew past mesh while Janus was starting move now.
			if (!first) metrics.janusRestarts.inc();
			first = false;
			router.sfuRestarted();
		};
		url = janus.url;
		await janus.start();
	}

	return {
		prefix: SFU_PREFIX,
		start,
		/** Whether calls can move to the SFU. */
		available: sfuAnswering,
		/** For the admin page: how Janus runs, and whether calls can use it now. */
		state: () => ({
			mode: config.sfu.mode === 'off' ? ('off' as const) : config.sfu.externalUrl ? ('external' as const) : janus ? ('child' as const) : ('not-installed' as const),
			available: sfuAnswering(),
			pid: janus?.pid,
			connections: connections.size
		}),
		router,
		/** Who Janus has in the videoroom of a call on the SFU, by feed id and the person the proxy named in each display. */
		async participants(roomId: string): Promise<{ id: number; userId: string | null }[]> {
			const room = router.janusRoom(roomId);
			if (!room) return [];
			return (await rooms.participants(room)).map((p) => ({ id: p.id, userId: parseFeedDisplay(p.display)?.userId ?? null }));
		},
		/**
		 * A ticket for a member to open the videoroom of their call, only while it is on the SFU (409
		 * otherwise) and only for people the server counts in the call (403): their presence comes over
		 * their own connection, which may arrive just after this request.
		 */
		/**
		 * An owner or admin locked the call or removed people from it: kept to refuse SFU tickets,
		 * and whoever was just removed is kicked from the videoroom at Janus (the server asks, never a browser).
		 */
		moderated(roomId: string, moderation: ServerModeration) {
			const before = new Set((moderations.get(roomId)?.removed ?? []).map((r) => r.userId));
			moderations.set(roomId, moderation);
			const removed = moderation.removed.map((r) => r.userId).filter((userId) => !before.has(userId));
			if (removed.length) endSfuOf(roomId, removed, REMOVED_FROM_CALL, 'Removed from this call');
		},
		async join(roomId: string, userId: string): Promise<SfuTicket> {
			const { role } = options.rooms.requireMember(roomId, userId);
			const moderation = moderations.get(roomId);
			if (moderation?.removed.some((r) => r.userId === userId && r.until > Date.now())) throw new ApiFailure(403, 'You were removed from this call.');
			if (moderation?.lock && role === 'member' && !router.usersInCall(roomId).has(userId)) throw new ApiFailure(403, 'This call is locked.');
			const offSfu = () => new ApiFailure(409, 'This call is not on the SFU right now.');
			if (!router.janusRoom(roomId)) throw offSfu();
			if (!(await router.whenInCall(roomId, userId, CALL_PRESENCE_WAIT_MS))) throw new ApiFailure(403, 'Join the call first: only people in this call can reach its SFU.');
			// Checked again: the call may have moved back to mesh during the wait.
			const room = router.janusRoom(roomId);
			if (!room) throw offSfu();
			return { janusRoom: room.id, ticket: tickets.issue({ roomId, userId, janusRoom: room.id }) };
		},
		async handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
			const caller = await authenticate(req);
			if (caller === 'cross-site') return refuseUpgrade(socket, 403, 'Forbidden', 'Cross-site connection refused');
			if (caller === 'signed-out') return refuseUpgrade(socket, 401, 'Unauthorized', 'Sign in to join calls');
			if (!url) return refuseUpgrade(socket, 503, 'Service Unavailable', 'This Parley has no SFU; calls stay peer-to-peer');
			const ticket = tickets.take(new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('ticket') ?? '');
			if (!ticket || ticket.userId !== caller.userId) return refuseUpgrade(socket, 403, 'Forbidden', 'Ask for a fresh SFU ticket (POST /api/rooms/<id>/call/sfu) and connect with it once');
			const room = router.janusRoom(ticket.roomId);
			if (!room || room.id !== ticket.janusRoom) return refuseUpgrade(socket, 409, 'Conflict', 'This call is not on that videoroom any more; ask for a fresh ticket');
			if (!isMember(ticket.roomId, ticket.userId)) return refuseUpgrade(socket, 403, 'Forbidden', 'You are not a member of this room');
			const binding = { userId: ticket.userId, roomId: ticket.roomId, janusRoom: room.id, bitrateCap: config.sfu.publisherBitrate };
			const upstream = new WebSocket(url, 'janus-protocol', { maxPayload });
			let opened = false;
			upstream.on('error', (error) => {
				if (!opened) refuseUpgrade(socket, 502, 'Bad Gateway', 'The SFU is not answering; try again in a moment');
				else log.warn('sfu.upstream_error', { roomId: binding.roomId, error: error.message });
			});
			upstream.once('open', () => {
				opened = true;
				// Membership could have ended while Janus was being reached.
				if (!isMember(binding.roomId, binding.userId)) {
					upstream.close();
					return refuseUpgrade(socket, 403, 'Forbidden', 'You are not a member of this room');
				}
				wss.handleUpgrade(req, socket, head, (client) => {
					log.info('sfu.connected', { roomId: binding.roomId, userId: binding.userId, room: room.id });
					const tokens = {
						session: () => signJanusToken(secrets.janusTokenSecret, TOKEN_TTL_S),
						room: () => signJanusRoomToken(secrets.janusTokenSecret, room.id, TOKEN_TTL_S)
					};
					const connection = new SfuConnection({ client, upstream, binding, tokens, log });
					connections.set(connection, room);
					metrics.connections.inc({ service: 'sfu' });
					// Signing out (or a revoked or expired session) ends the call on this device: Janus drops its session with the socket.
					const unwatch = caller.watch((reason) => connection.end(CLOSE_SESSION_ENDED, reason));
					client.on('close', (code) => {
						unwatch();
						connections.delete(connection);
						metrics.connections.dec({ service: 'sfu' });
						if (code === 1009) log.warn('sfu.frame_too_large', { roomId: binding.roomId, userId: binding.userId, maxPayload });
					});
				});
			});
		},
		async close() {
			stopListening();
			for (const client of wss.clients) client.close(1001, 'Server shutting down');
			wss.close();
			await router.close();
			rooms.close();
			await janus?.stop();
			rmSync(pidFile, { force: true });
		}
	};
}

export type SfuService = ReturnType<typeof createSfuService>;
