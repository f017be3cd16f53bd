import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiFailure } from '../src/lib/server/api-failure.ts';
import { createAuth } from '../src/lib/server/auth.ts';
import type { Config } from '../src/lib/server/config.ts';
import { setContext, type AppContext } from '../src/lib/server/context.ts';
import { DB_FILE, ensureWritableDir, migrate, openDatabase, readMigrations } from '../src/lib/server/db.ts';
import { RoomEvents } from '../src/lib/server/events.ts';
import { LiveSessions } from '../src/lib/server/live-sessions.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { Push } from '../src/lib/server/push.ts';
import { Rooms } from '../src/lib/server/rooms.ts';
import { loadSecrets } from '../src/lib/server/secrets.ts';
import { SignInBackoff } from '../src/lib/server/signin-backoff.ts';
import { UserSearch } from '../src/lib/server/user-search.ts';
import { createSfuService } from '../sfu/service.ts';
import { createSignalService } from '../signal/service.ts';
import { createSyncService } from '../sync/service.ts';

/** How long a request for SFU credentials waits for its sender's call presence to arrive. */
const CALL_PRESENCE_WAIT_MS = 3000;

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** A WebSocket service mounted under a path prefix (`/sync/`, `/peerjs`, `/sfu`). */
export type UpgradeRoute = {
	prefix: string;
	/** May throw or reject: the router turns that into a refusal (see routeUpgrade). */
	handle(req: IncomingMessage, socket: Duplex, head: Buffer): void | Promise<void>;
};

export type Parley = {
	context: AppContext;
	upgradeRoutes: UpgradeRoute[];
	/** Closes every WebSocket service (their sockets are outside the HTTP server's connection count). */
	closeSockets(): Promise<void>;
	close(): Promise<void>;
};

/** Opens the data folder, secrets, database and auth; shared by `start` and `vite dev`. */
export function createParley(config: Config): Parley {
	const log = createLogger(config.logLevel);
	ensureWritableDir(config.dataDir);
	const secrets = loadSecrets(config.dataDir, config.secrets);
	const db = openDatabase(join(config.dataDir, DB_FILE));
	const { from, to } = migrate(db, readMigrations(join(ROOT, 'migrations')));
	if (from !== to) log.info('db.migrated', { from, to });
	const auth = createAuth({ db, secret: secrets.authSecret, config, log });
	const events = new RoomEvents();
	const liveSessions = new LiveSessions({ db, log, intervalMs: config.sessionCheckMs });
	const rooms = new Rooms({ db, events, memberLimit: config.roomMemberLimit, createPerHour: config.roomCreateRateLimit });
	const vapid = {
		subject: config.vapidSubject ?? (config.origin?.startsWith('https:') ? config.origin : 'mailto:parley@localhost'),
		publicKey: secrets.vapidPublicKey,
		privateKey: secrets.vapidPrivateKey
	};
	const { allowPrivateEndpoints, ...pushLimits } = config.push;
	const push = new Push({ db, rooms, events, log, vapid, limits: pushLimits, allowPrivateEndpoints });
	if (allowPrivateEndpoints) log.warn('push.private_endpoints_allowed', { note: 'PUSH_ALLOW_PRIVATE_ENDPOINTS is for tests and development only' });
	const signal = createSignalService({
		auth,
		rooms,
		events,
		log,
		liveSessions,
		maxFrameBytes: config.peerjsMaxFrameBytes,
		// Without an SFU the server announces a size limit for calls, and holds to it.
		admit(roomId) {
			const { limit } = sfu.router.announcement(roomId);
			if (limit !== null && sync.callSize(roomId) >= limit) {
				throw new ApiFailure(409, `This call is full: without an SFU on this server, calls can have at most ${limit} people.`);
			}
		}
	});
	const sfu = createSfuService({ config, secrets, auth, rooms, events, liveSessions, log, announce: (roomId) => sync.announce(roomId) });
	const context: AppContext = {
		config,
		db,
		auth,
		log,
		version: VERSION,
		events,
		liveSessions,
		rooms,
		push,
		signInBackoff: new SignInBackoff(config.signInAccount),
		userSearch: new UserSearch(rooms, config.emailLookupsPerHour),
		issuePeerId: signal.issue,
		sfuJoin: async (roomId, userId) => {
			rooms.requireMember(roomId, userId);
			// SFU credentials only for people the server counts in the call (their presence comes over their own
			// connection, which may arrive just after this request). The topology is checked first: 409 off the SFU.
			if (!sfu.router.janusRoom(roomId)) throw new ApiFailure(409, 'This call is not on the SFU right now.');
			if (!(await sync.whenInCall(roomId, userId, CALL_PRESENCE_WAIT_MS))) throw new ApiFailure(403, 'Join the call first: only people in this call can reach its SFU.');
			return sfu.join(roomId, userId);
		}
	};
	setContext(context);
	const sync = createSyncService({
		db,
		auth,
		rooms,
		events,
		log,
		liveSessions,
		limits: config.sync,
		origin: config.origin,
		idleMs: config.roomIdleMs,
		onMessages: (roomId, latest, count, present) => void push.messages(roomId, latest, count, present),
		// Joined on one device: the ringing stops on the others.
		onCallJoin: (roomId, userId) => void push.endRing(roomId, [userId]),
		// The server decides each call's topology from its membership and tells the call on awareness.
		onCallSize: (roomId, count) => sfu.router.update(roomId, count),
		serverState: (roomId) => ({ call: sfu.router.announcement(roomId) })
	});
	push.inCall = (roomId) => sync.usersInCall(roomId);
	// Janus starts in the background: chat never waits for it.
	void sfu.start().catch((error) => log.error('sfu.start_failed', { error }));
	return {
		context,
		upgradeRoutes: [sync, signal, sfu],
		async closeSockets() {
			liveSessions.close();
			sync.close();
			signal.close();
			await sfu.close();
		},
		async close() {
			await this.closeSockets();
			setContext(undefined);
			db.close();
		}
	};
}
